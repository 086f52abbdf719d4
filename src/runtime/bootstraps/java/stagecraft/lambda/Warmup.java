package stagecraft.lambda;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pre-started JVM does before it is ready, so that its function's init does not pay for it:
 * the classes of the HTTP client (one request to a server of its own on loopback, as the Runtime
 * API's), of the JSON reader and mapper and of error reports are loaded and run once. Nothing that
 * reads the function's variables (InvocationContext, Logs) is initialised here. Failures are ignored:
 * warming is only an optimisation.
 */
final class Warmup {
    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        .getBytes(StandardCharsets.US_ASCII);

    private Warmup() {
    }

    static void run() {
        try {
            mapper();
            Fault.throwableBody(new IllegalStateException("warm-up", new RuntimeException("cause")));
            http();
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

    private static void http() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                for (int k = 0; k < 2; k++) answer(server);
            }, "stagecraft-warmup");
            answer.setDaemon(true);
            answer.start();
            String base = "/2018-06-01/runtime/invocation/";
            HttpURLConnection next = open(server, base + "next");
            next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            RuntimeApi.readAll(next.getInputStream());
            HttpURLConnection post = open(server, base + "warm-up/response");
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = post.getOutputStream()) {
                out.write(ANSWER, 0, 2);
            }
            post.getResponseCode();
            RuntimeApi.readAll(post.getInputStream());
            answer.join(1000);
        }
    }

    private static HttpURLConnection open(ServerSocket server, String path) throws Exception {
        URL url = new URL("http", server.getInetAddress().getHostAddress(), server.getLocalPort(), path);
        HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(1000);
        c.setReadTimeout(1000);
        c.setUseCaches(false);
        return c;
    }

    /** Answers one request with `{}`, once its head has arrived. */
    private static void answer(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            // How much of the head's closing CRLFCRLF has been seen.
            int seen = 0;
            for (int n; seen < 4 && (n = in.read(buf)) > 0;) {
                for (int i = 0; i < n && seen < 4; i++) seen = buf[i] == (seen % 2 == 0 ? '\r' : '\n') ? seen + 1 : (buf[i] == '\r' ? 1 : 0);
            }
            OutputStream out = s.getOutputStream();
            out.write(ANSWER);
            out.flush();
        } catch (Exception e) {
            // The request side notices.
        }
    }
}
