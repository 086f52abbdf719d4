package stagecraft.lambda;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOError;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stagecraft's Java runtime: the process that runs inside an execution environment for the java*
 * runtimes. The JDK only (its classes are the runtime's classpath at /var/runtime, with the
 * com.amazonaws.services.lambda.runtime API the function compiles against). The function's code
 * gets its own class loader over /var/task, /var/task/lib/*.jar and /opt/java/lib/*.jar, as AWS's
 * runtime gives it; the loop is next -> invoke -> response/error on the private channel (ChannelApi),
 * or over the HTTP Runtime API when the platform keeps invocations off it (RuntimeApi).
 * A pre-started JVM (Cell) becomes its function's before anything reads the function's variables.
 */
public final class Bootstrap {
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private Bootstrap() {
    }

    public static void main(String[] args) throws Exception {
        // Read before the runtime hides them (a cell's specialised variables do not name them).
        Channel channel = Channel.open(System.getenv("_STAGECRAFT_OUT_FD"), System.getenv("_STAGECRAFT_IN_FD"));
        boolean onChannel = channel != null && channel.carriesInvocations();
        PrintStream stdout = onChannel ? utf8(new ChannelOutput(channel, 1)) : utf8(new FileOutputStream(FileDescriptor.out));
        System.setOut(stdout);
        System.setErr(onChannel ? utf8(new ChannelOutput(channel, 2)) : utf8(new FileOutputStream(FileDescriptor.err)));
        // A pre-started JVM waits here for its function (then has its variables).
        Cell.becomeFunction(channel);
        String optRoot = env("_STAGECRAFT_OPT", "/opt");
        Environ.hidePrivate();
        Logs logs = new Logs(stdout, channel);
        LambdaRuntime.setLogger(logs);
        Transport api = onChannel ? new ChannelApi(channel) : new RuntimeApi(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        String handler = System.getenv("_HANDLER") == null ? "" : System.getenv("_HANDLER");

        ClassLoader loader = functionClassLoader(env("LAMBDA_TASK_ROOT", "/var/task"), optRoot);
        Thread.currentThread().setContextClassLoader(loader);
        Handlers.Invoker invoker;
        try {
            invoker = Handlers.load(handler, loader);
        } catch (Fault f) {
            if (f.fatal) initError(api, logs, f);
            invoker = Handlers.failing(f);
        } catch (Throwable t) {
            initError(api, logs, Fault.of(t, true));
            return;
        }
        loop(api, invoker, logs);
    }

    private static void initError(Transport api, Logs logs, Fault f) throws Exception {
        logs.report(f.reportable());
        api.initError(f.body(), "Runtime.BadFunctionCode");
        System.exit(1);
    }

    private static void loop(Transport api, Handlers.Invoker invoker, Logs logs) throws Exception {
        while (true) {
            RuntimeApi.Invocation inv = api.next();
            logs.setRequestId(inv.requestId);
            if (inv.traceId != null) System.setProperty(TRACE_PROPERTY, inv.traceId);
            else System.clearProperty(TRACE_PROPERTY);
            boolean exit = false;
            try {
                byte[] result = invoker.call(inv.body, new InvocationContext(inv, logs));
                flush();
                api.response(inv.requestId, result);
            } catch (Fault f) {
                flush();
                logs.report(f.reportable());
                exit = f.fatal;
                api.error(inv.requestId, f.body(), "Runtime.BadFunctionCode", exit);
            } catch (Throwable t) {
                flush();
                String body = Fault.throwableBody(t);
                logs.report(Fault.of(t, false).reportable());
                exit = t instanceof VirtualMachineError || t instanceof IOError;
                api.error(inv.requestId, body, "Runtime.UserException", exit);
            }
            if (exit) System.exit(1);
            // The handler may have left the interrupted flag set.
            Thread.interrupted();
        }
    }

    private static void flush() {
        System.out.flush();
        System.err.flush();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static PrintStream utf8(OutputStream out) throws UnsupportedEncodingException {
        return new PrintStream(out, true, "UTF-8");
    }

    /** The code's directory, then its lib/*.jar, then the layers' java/lib/*.jar, each in name order. */
    static ClassLoader functionClassLoader(String taskRoot, String optRoot) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        urls.add(new File(taskRoot).toURI().toURL());
        addJars(new File(taskRoot, "lib"), urls);
        addJars(new File(optRoot, "java/lib"), urls);
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
    }

    private static void addJars(File dir, List<URL> urls) throws MalformedURLException {
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null) return;
        Arrays.sort(jars);
        for (File jar : jars) urls.add(jar.toURI().toURL());
    }
}
