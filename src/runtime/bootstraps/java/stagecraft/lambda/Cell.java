package stagecraft.lambda;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pre-started JVM ("cell", src/runtime/cell-stock.ts). Started with the runtime's variables
 * only and the same options as a fresh JVM of its memory size, it loads and exercises the
 * runtime's classes (Warmup), tells the platform it is ready (an 'N {"cell":true}' frame on the
 * out fd, src/runtime/channel.ts), then waits for its function (the 'S' frame on fd 3: the
 * variables a fresh JVM of that function starts with) and becomes that JVM: System.getenv() is
 * made the function's variables (Environ). Its system properties are a fresh JVM's already: the
 * command line is the same, and none depends on the variables the function may set (those that
 * would, JAVA_TOOL_OPTIONS, LANG, TZ and the like, start a fresh JVM: cell-stock.ts). Its invocations then
 * travel on the channel as any Java process's do (ChannelApi).
 */
final class Cell {
    private Cell() {
    }

    /** When this JVM is a cell: warms up, says it is ready and becomes its function's JVM; otherwise nothing. */
    static void becomeFunction(Channel channel) throws Exception {
        if (!"1".equals(System.getenv("_STAGECRAFT_CELL")) || channel == null || !channel.carriesInvocations()) return;
        Warmup.run();
        channel.write("N", "{\"cell\":true}", null);
        Map<?, ?> meta = awaitSpecialise(channel);
        Environ.replace(strings(meta.get("env")));
    }

    /** The 'S' frame's meta; other frames are skipped. */
    private static Map<?, ?> awaitSpecialise(Channel channel) throws IOException {
        while (true) {
            Channel.Frame f = channel.read();
            if (f.type.equals("S")) return f.meta;
        }
    }

    private static Map<String, String> strings(Object node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof Map) for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        return out;
    }
}
