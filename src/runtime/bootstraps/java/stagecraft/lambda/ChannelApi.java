package stagecraft.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The Runtime API on the private channel (src/runtime/channel.ts): invocations arrive as 'V' frames;
 * each answer ('R', 'E') goes out in one write with the request for the next ('N'), the JVM's peak
 * RSS ({rss}, for REPORT's Max Memory Used) and the output it wrote to the pipes instead ({stdio}).
 * Invocations the platform sends ahead while another runs ({timeout} instead of {deadline}) wait
 * here; the runtime says which it begins: with the answer before it ({nx}) or, for one that arrived
 * after that answer, with a 'B' frame; until then the platform may withdraw it ('W', answered 'K'),
 * also while the handler runs: a daemon thread reads the platform's frames, and the queue is shared
 * under this object's lock.
 */
final class ChannelApi implements Transport {
    private static final byte[] NEXT = "N 0 {}\n".getBytes(StandardCharsets.US_ASCII);
    /** Answers within this long of the last read may send its figure again, if their invocation was short. */
    private static final long RSS_REUSE_NS = 10_000_000L;
    private static final long RSS_SHORT_INVOCATION_NS = 1_000_000L;

    private final Channel channel;
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    /** The invocation sent ahead that the last answer said begins next. */
    private Queued beginsNext;
    /** 'N' already went out with the last answer. */
    private boolean nextSent;
    private long startedAt;
    private long rssReadAt = Long.MIN_VALUE / 2;
    private long peakRss;

    private static final class Queued {
        final RuntimeApi.Invocation inv;
        /** Sent ahead: its deadline counts from when it begins. */
        final long timeoutMs;

        Queued(RuntimeApi.Invocation inv, long timeoutMs) {
            this.inv = inv;
            this.timeoutMs = timeoutMs;
        }
    }

    ChannelApi(Channel channel) {
        this.channel = channel;
        Thread reader = new Thread(this::readFrames, "stagecraft-channel");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public RuntimeApi.Invocation next() throws IOException {
        boolean sendNext = !nextSent;
        nextSent = false;
        Queued announced = beginsNext;
        beginsNext = null;
        if (announced != null) return started(announced);
        if (sendNext) channel.write("N", "{}", null);
        Queued q;
        synchronized (this) {
            while (queued.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // Only the platform's next invocation ends the wait.
                }
            }
            q = queued.poll();
            if (q.timeoutMs >= 0) channel.write("B", idMeta(q.inv.requestId), null);
        }
        return started(q);
    }

    /** The reader thread: the platform's frames, as they come (the JVM halts when the platform goes away). */
    private void readFrames() {
        try {
            while (true) receive(channel.read());
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().halt(0);
        }
    }

    @Override
    public void response(String requestId, byte[] body) throws IOException {
        channel.write("R", answerMeta(requestId, null), body, 0, body.length, NEXT);
        nextSent = true;
    }

    @Override
    public void error(String requestId, String errorJson, String errorType, boolean last) throws IOException {
        byte[] body = errorJson.getBytes(StandardCharsets.UTF_8);
        // A runtime about to exit asks for nothing more: nothing may be sent to it.
        if (last) {
            StringBuilder meta = new StringBuilder("{\"id\":");
            Json.quote(requestId, meta);
            meta.append(",\"type\":");
            Json.quote(errorType, meta);
            meta.append(",\"rss\":").append(peakRss()).append(",\"stdio\":").append(ChannelOutput.pipeBytes()).append('}');
            channel.write("E", meta.toString(), body);
        } else {
            channel.write("E", answerMeta(requestId, errorType), body, 0, body.length, NEXT);
            nextSent = true;
        }
    }

    @Override
    public void initError(String errorJson, String errorType) throws IOException {
        StringBuilder meta = new StringBuilder("{\"type\":");
        Json.quote(errorType, meta);
        channel.write("I", meta.append('}').toString(), errorJson.getBytes(StandardCharsets.UTF_8));
    }

    private String answerMeta(String requestId, String errorType) throws IOException {
        StringBuilder meta = new StringBuilder("{\"id\":");
        Json.quote(requestId, meta);
        if (errorType != null) {
            meta.append(",\"type\":");
            Json.quote(errorType, meta);
        }
        meta.append(",\"rss\":").append(peakRss()).append(",\"stdio\":").append(ChannelOutput.pipeBytes());
        if (beginsNext == null) {
            synchronized (this) {
                beginsNext = queued.poll();
            }
        }
        if (beginsNext != null) {
            meta.append(",\"nx\":");
            Json.quote(beginsNext.inv.requestId, meta);
        }
        return meta.append('}').toString();
    }

    private RuntimeApi.Invocation started(Queued q) {
        startedAt = System.nanoTime();
        if (q.timeoutMs >= 0) q.inv.deadlineMs = System.currentTimeMillis() + q.timeoutMs;
        return q.inv;
    }

    private synchronized void receive(Channel.Frame f) throws IOException {
        if (f.type.equals("W")) {
            Object id = f.meta.get("id");
            for (Iterator<Queued> it = queued.iterator(); it.hasNext();) {
                if (it.next().inv.requestId.equals(id)) {
                    it.remove();
                    channel.write("K", idMeta(String.valueOf(id)), null);
                    break;
                }
            }
        } else if (f.type.equals("V")) {
            Map<?, ?> m = f.meta;
            RuntimeApi.Invocation inv = new RuntimeApi.Invocation();
            inv.requestId = String.valueOf(m.get("id"));
            inv.deadlineMs = m.get("deadline") == null ? 0 : Json.decimal(m.get("deadline")).longValue();
            inv.functionArn = string(m.get("arn"));
            inv.traceId = string(m.get("trace"));
            inv.clientContext = string(m.get("cc"));
            inv.cognitoIdentity = string(m.get("identity"));
            inv.body = f.body;
            queued.add(new Queued(inv, m.get("timeout") == null ? -1 : Json.decimal(m.get("timeout")).longValue()));
            notify();
        }
    }

    private static String string(Object v) {
        return v instanceof String ? (String) v : null;
    }

    private static String idMeta(String id) {
        StringBuilder meta = new StringBuilder("{\"id\":");
        Json.quote(id, meta);
        return meta.append('}').toString();
    }

    /**
     * The JVM's peak resident memory in bytes (VmHWM): a burst of sub-millisecond invocations
     * reuses a figure up to 10 ms old, anything that ran for a millisecond reads it afresh.
     */
    private long peakRss() {
        long now = System.nanoTime();
        if (now - rssReadAt >= RSS_REUSE_NS || now - startedAt >= RSS_SHORT_INVOCATION_NS) {
            rssReadAt = now;
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("VmHWM:")) peakRss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            } catch (IOException | RuntimeException e) {
                // No /proc: the platform samples the process itself.
            }
        }
        return peakRss;
    }
}
