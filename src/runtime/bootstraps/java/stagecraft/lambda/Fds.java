package stagecraft.lambda;

import java.io.FileDescriptor;
import java.lang.reflect.Constructor;

/** File descriptors the JVM inherited beyond 0–2 (the private channel's: src/runtime/channel.ts). */
final class Fds {
    private Fds() {
    }

    /** The descriptor for an inherited fd (FileDescriptor's int constructor is private: java.io is opened to the runtime), or null. */
    static FileDescriptor of(int fd) {
        try {
            Constructor<FileDescriptor> k = FileDescriptor.class.getDeclaredConstructor(int.class);
            k.setAccessible(true);
            return k.newInstance(fd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
