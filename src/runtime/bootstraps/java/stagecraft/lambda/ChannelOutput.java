package stagecraft.lambda;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * System.out or System.err on the private channel: each write goes out at once as 'O' frames
 * ({s: 1 | 2}, at most 64 KiB each), in order with log records and answers, so every byte lands in
 * the invocation that wrote it, also when the platform has sent the next one ahead. (Child
 * processes, native code and the JVM's own messages still write to fds 1 and 2.)
 */
final class ChannelOutput extends OutputStream {
    private static final int MAX_FRAME = 64 * 1024;
    /** Bytes written to the pipes instead (the channel was gone), for the answers' {stdio}. */
    private static long pipeBytes;

    private final Channel channel;
    private final String meta;
    private final FileOutputStream pipe;

    ChannelOutput(Channel channel, int stream) {
        this.channel = channel;
        this.meta = "{\"s\":" + stream + "}";
        this.pipe = new FileOutputStream(stream == 2 ? FileDescriptor.err : FileDescriptor.out);
    }

    static synchronized long pipeBytes() {
        return pipeBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            for (int at = 0; at < len; at += MAX_FRAME) channel.write("O", meta, b, off + at, Math.min(MAX_FRAME, len - at), null);
        } catch (IOException e) {
            // The channel is gone (the platform is shutting down): the pipe is all there is.
            synchronized (ChannelOutput.class) {
                pipeBytes += len;
            }
            pipe.write(b, off, len);
        }
    }
}
