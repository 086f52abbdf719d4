package stagecraft.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** The HTTP Runtime API at AWS_LAMBDA_RUNTIME_API (`host:port` or `host:port/prefix`): used when the platform keeps invocations off the private channel. */
final class RuntimeApi implements Transport {
    /** One invocation as /next hands it over. */
    static final class Invocation {
        String requestId;
        long deadlineMs;
        String functionArn;
        String traceId;
        String clientContext;
        String cognitoIdentity;
        byte[] body;
    }

    private final String base;

    RuntimeApi(String endpoint) {
        String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.base = "http://" + e + "/2018-06-01/runtime";
    }

    @Override
    public Invocation next() throws IOException {
        HttpURLConnection c = open("/invocation/next", "GET");
        int status = c.getResponseCode();
        byte[] body = readAll(status >= 400 ? c.getErrorStream() : c.getInputStream());
        if (status != 200) throw new IOException("Runtime API /next answered " + status);
        Invocation inv = new Invocation();
        inv.requestId = c.getHeaderField("Lambda-Runtime-Aws-Request-Id");
        String deadline = c.getHeaderField("Lambda-Runtime-Deadline-Ms");
        inv.deadlineMs = deadline == null ? System.currentTimeMillis() + 3000 : Long.parseLong(deadline.trim());
        inv.functionArn = c.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
        inv.traceId = c.getHeaderField("Lambda-Runtime-Trace-Id");
        inv.clientContext = c.getHeaderField("Lambda-Runtime-Client-Context");
        inv.cognitoIdentity = c.getHeaderField("Lambda-Runtime-Cognito-Identity");
        inv.body = body;
        return inv;
    }

    @Override
    public void response(String requestId, byte[] body) throws IOException {
        post("/invocation/" + requestId + "/response", body, null);
    }

    @Override
    public void error(String requestId, String errorJson, String errorType, boolean last) throws IOException {
        post("/invocation/" + requestId + "/error", errorJson.getBytes(StandardCharsets.UTF_8), errorType);
    }

    @Override
    public void initError(String errorJson, String errorType) throws IOException {
        post("/init/error", errorJson.getBytes(StandardCharsets.UTF_8), errorType);
    }

    private HttpURLConnection open(String path, String method) throws IOException {
        // Never through a proxy the function's JAVA_TOOL_OPTIONS may configure.
        HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        // /next is a long poll: no read timeout.
        c.setReadTimeout(0);
        c.setUseCaches(false);
        return c;
    }

    private void post(String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection c = open(path, "POST");
        c.setDoOutput(true);
        // Not streamed: headers and body leave in one write (no Nagle wait between them).
        c.setRequestProperty("Content-Type", "application/json");
        if (errorType != null) c.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        readAll(status >= 400 ? c.getErrorStream() : c.getInputStream());
        // 413 (payload too large) and the like are the platform's answer already given: go on.
    }

    static byte[] readAll(InputStream in) throws IOException {
        if (in == null) return new byte[0];
        try (InputStream i = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = i.read(buf)) > 0) out.write(buf, 0, n);
            return out.toByteArray();
        }
    }
}
