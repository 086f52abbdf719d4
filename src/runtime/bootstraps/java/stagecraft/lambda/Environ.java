package stagecraft.lambda;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's copy of its environment, which it takes once at start and System.getenv(),
 * System.getenv(name) and ProcessBuilder.environment() all read: its map
 * (ProcessEnvironment.theEnvironment, JDK-private in java.lang, opened to the runtime on JDK 9+) is
 * changed in place, so that a pre-started JVM's function sees its own variables, and no JVM's
 * function sees the runtime's private ones. Entries are made from the variables' bytes as the JVM
 * makes them at start (decoded with sun.jnu.encoding, the bytes kept for child processes). A child
 * process started without reading ProcessBuilder.environment(), and native code calling getenv(3),
 * still see the process's environment as it started.
 */
final class Environ {
    private Environ() {
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> raw() throws ReflectiveOperationException {
        Field field = Class.forName("java.lang.ProcessEnvironment").getDeclaredField("theEnvironment");
        field.setAccessible(true);
        return (Map<Object, Object>) field.get(null);
    }

    private static Method fromBytes(String kind) throws ReflectiveOperationException {
        Method m = Class.forName("java.lang.ProcessEnvironment$" + kind).getDeclaredMethod("valueOf", byte[].class);
        m.setAccessible(true);
        return m;
    }

    /**
     * Makes `variables` (as the platform spawns processes: UTF-8) the whole environment; PWD, which
     * the sandbox sets as it starts any process in /var/task, stays.
     */
    static void replace(Map<String, String> variables) throws ReflectiveOperationException {
        Map<String, String> all = new LinkedHashMap<>(variables);
        String pwd = System.getenv("PWD");
        if (pwd != null) all.put("PWD", pwd);
        Method variable = fromBytes("Variable");
        Method value = fromBytes("Value");
        Map<Object, Object> env = raw();
        env.clear();
        for (Map.Entry<String, String> e : all.entrySet()) {
            env.put(variable.invoke(null, (Object) e.getKey().getBytes(StandardCharsets.UTF_8)), value.invoke(null, (Object) e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Removes the runtime's private variables (_STAGECRAFT_*) if the JDK lets it. */
    static void hidePrivate() {
        try {
            raw().keySet().removeIf(k -> k.toString().startsWith("_STAGECRAFT_"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A JDK without this map: the variables stay visible, nothing else changes.
        }
    }
}
