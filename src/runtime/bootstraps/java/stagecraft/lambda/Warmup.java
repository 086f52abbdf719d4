package stagecraft.lambda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pre-started JVM does before it is ready, so that its function's init does not pay for it:
 * the classes of the channel's frames, of the JSON reader and mapper and of error reports are
 * loaded and run once. Nothing that reads the function's variables (InvocationContext, Logs) is
 * initialised here. Failures are ignored: warming is only an optimisation.
 */
final class Warmup {
    private Warmup() {
    }

    static void run() {
        try {
            mapper();
            Fault.throwableBody(new IllegalStateException("warm-up", new RuntimeException("cause")));
            channel();
        } catch (Throwable t) {
            // Cold classes only cost time later.
        }
    }

    private static void mapper() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("text", "x");
        event.put("number", 1.5);
        event.put("list", new ArrayList<>(Arrays.asList(1, 2L, true, null)));
        String json = Pojo.toJson(event);
        Pojo.fromJson(json, Map.class);
        Pojo.fromJson("[\"a\"]", List.class);
        Pojo.fromJson("\"s\"", String.class);
    }

    /** What the channel does per invocation: a 'V' frame's meta read, an answer's frame made. */
    private static void channel() {
        Map<?, ?> meta = (Map<?, ?>) Json.parse("{\"id\":\"warm-up\",\"deadline\":1700000000000,\"arn\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"trace\":\"Root=1\"}");
        StringBuilder out = new StringBuilder("{\"id\":");
        Json.quote(String.valueOf(meta.get("id")), out);
        Channel.header("R", 2, out.append('}').toString());
        Json.decimal(meta.get("deadline")).longValue();
    }
}
