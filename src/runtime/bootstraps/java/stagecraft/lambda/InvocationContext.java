package stagecraft.lambda;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;

/** The Context one invocation's handler gets. */
final class InvocationContext implements Context {
    private static final String FUNCTION_NAME = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    private static final String FUNCTION_VERSION = System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
    private static final String LOG_GROUP = System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
    private static final String LOG_STREAM = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
    private static final int MEMORY = parseInt(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 128);

    private final RuntimeApi.Invocation inv;
    private final LambdaLogger logger;
    private final CognitoIdentity identity;
    private final ClientContext clientContext;

    InvocationContext(RuntimeApi.Invocation inv, LambdaLogger logger) {
        this.inv = inv;
        this.logger = logger;
        this.identity = identity(inv.cognitoIdentity);
        this.clientContext = clientContext(inv.clientContext);
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    public String getAwsRequestId() { return inv.requestId; }
    public String getLogGroupName() { return LOG_GROUP; }
    public String getLogStreamName() { return LOG_STREAM; }
    public String getFunctionName() { return FUNCTION_NAME; }
    public String getFunctionVersion() { return FUNCTION_VERSION; }
    public String getInvokedFunctionArn() { return inv.functionArn; }
    public CognitoIdentity getIdentity() { return identity; }
    public ClientContext getClientContext() { return clientContext; }
    public int getMemoryLimitInMB() { return MEMORY; }
    public LambdaLogger getLogger() { return logger; }
    public String getXrayTraceId() { return inv.traceId; }

    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, inv.deadlineMs - System.currentTimeMillis());
    }

    private static Map<?, ?> object(String json) {
        if (json == null || json.isEmpty()) return null;
        try {
            Object o = Json.parse(json);
            return o instanceof Map ? (Map<?, ?>) o : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (!(v instanceof Map)) return null;
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) out.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString());
        return out;
    }

    private static CognitoIdentity identity(String json) {
        Map<?, ?> m = object(json);
        if (m == null) return null;
        String id = str(m, "cognitoIdentityId");
        String pool = str(m, "cognitoIdentityPoolId");
        return new CognitoIdentity() {
            public String getIdentityId() { return id; }
            public String getIdentityPoolId() { return pool; }
        };
    }

    private static ClientContext clientContext(String json) {
        Map<?, ?> m = object(json);
        if (m == null) return null;
        Object c = m.get("client");
        Map<?, ?> cm = c instanceof Map ? (Map<?, ?>) c : null;
        Client client = cm == null ? null : new Client() {
            public String getInstallationId() { return str(cm, "installation_id"); }
            public String getAppTitle() { return str(cm, "app_title"); }
            public String getAppVersionName() { return str(cm, "app_version_name"); }
            public String getAppVersionCode() { return str(cm, "app_version_code"); }
            public String getAppPackageName() { return str(cm, "app_package_name"); }
        };
        Map<String, String> custom = strings(m, "custom");
        Map<String, String> env = strings(m, "env");
        return new ClientContext() {
            public Client getClient() { return client; }
            public Map<String, String> getCustom() { return custom; }
            public Map<String, String> getEnvironment() { return env; }
        };
    }
}
