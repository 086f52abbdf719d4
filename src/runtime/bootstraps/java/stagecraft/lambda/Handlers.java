package stagecraft.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The handler named by _HANDLER, found as AWS's Java runtime finds it: `pkg.Class` implementing
 * RequestStreamHandler or RequestHandler<I, O>, or `pkg.Class::method` with one of the signatures
 * (I), (I, Context), (InputStream, OutputStream), (InputStream, OutputStream, Context) and the other
 * forms AWS accepts, the longest (a trailing Context counting one more) preferred. A handler that
 * cannot be used answers each invocation with its fault; one whose class fails to load or whose
 * constructor throws is an init error (Fault.fatal).
 */
final class Handlers {
    private Handlers() {
    }

    /** Runs one invocation: the event's bytes in, the response's bytes out. */
    interface Invoker {
        byte[] call(byte[] event, Context context) throws Throwable;
    }

    static Invoker failing(Fault fault) {
        return (event, context) -> {
            throw fault;
        };
    }

    static Invoker load(String handler, ClassLoader loader) {
        int colon = handler.lastIndexOf("::");
        String className = colon < 0 ? handler : handler.substring(0, colon);
        String methodName = colon < 0 ? null : handler.substring(colon + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty())) return failing(Fault.of("Invalid handler: `" + handler + "'"));
        Class<?> clazz;
        try {
            clazz = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            return failing(new Fault("Class not found: " + className, e.getClass().getName(), Fault.trace(e), false));
        } catch (NoClassDefFoundError e) {
            return failing(loadError(e, className));
        } catch (Throwable t) {
            // UnsupportedClassVersionError (compiled for a newer JVM), a static initializer's exception.
            throw loadError(t, className);
        }
        return methodName == null ? forClass(clazz) : forMethod(clazz, methodName);
    }

    private static Fault loadError(Throwable t, String className) {
        return new Fault("Error loading class " + className + (t.getMessage() == null ? "" : ": " + t.getMessage()), t.getClass().getName(), Fault.trace(t), true);
    }

    private static Invoker forClass(Class<?> clazz) {
        if (RequestStreamHandler.class.isAssignableFrom(clazz)) {
            RequestStreamHandler h = (RequestStreamHandler) instantiate(clazz);
            return (event, context) -> stream(event, context, (in, out, ctx) -> h.handleRequest(in, out, ctx));
        }
        if (RequestHandler.class.isAssignableFrom(clazz)) {
            Type[] types = Types.interfaceArguments(clazz, RequestHandler.class);
            if (types == null) throw Fault.of("Class " + clazz.getName() + " does not implement RequestHandler with concrete type parameters");
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> h = (RequestHandler<Object, Object>) instantiate(clazz);
            return pojo(types[0], types[1], (input, context) -> h.handleRequest(input, context));
        }
        return failing(Fault.of("Class does not implement an appropriate handler interface: " + clazz.getName()));
    }

    private static Object instantiate(Class<?> clazz) {
        Constructor<?> k;
        try {
            k = clazz.getConstructor();
        } catch (NoSuchMethodException e) {
            if (clazz.getEnclosingClass() != null && !Modifier.isStatic(clazz.getModifiers())) {
                throw Fault.of(new Exception("Class " + clazz.getName() + " cannot be instantiated because it is a non-static inner class"), false);
            }
            throw Fault.of(new Exception("Class " + clazz.getName() + " has no public zero-argument constructor", e), false);
        }
        try {
            return k.newInstance();
        } catch (InvocationTargetException e) {
            throw Fault.of(e.getCause() == null ? e : e.getCause(), true);
        } catch (ReflectiveOperationException e) {
            throw Fault.of(e, true);
        }
    }

    private static boolean isContext(Type t) {
        return Context.class.equals(t);
    }

    /** Longer signatures first, a trailing Context counting one more; bridge methods last. */
    private static int weight(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return p.length + (p.length > 0 && isContext(p[p.length - 1]) ? 1 : 0);
    }

    private static Invoker forMethod(Class<?> clazz, String name) {
        List<Method> candidates = new ArrayList<>();
        for (Method m : clazz.getMethods()) if (m.getName().equals(name)) candidates.add(m);
        candidates.sort(Comparator.comparing(Method::isBridge).thenComparing(Comparator.comparingInt(Handlers::weight).reversed()));
        for (Method m : candidates) {
            Invoker inv = forOverload(clazz, m);
            if (inv != null) return inv;
        }
        return failing(Fault.of("No public method named " + name + " with appropriate method signature found on class " + clazz.getName()));
    }

    /** An invoker for one overload, or null when its parameters are not a form AWS accepts. */
    private static Invoker forOverload(Class<?> clazz, Method m) {
        Type[] p = m.getGenericParameterTypes();
        Type r = m.getGenericReturnType();
        if (p.length == 0) return methodPojo(clazz, m, null, r, false);
        if (p.length == 1) {
            if (InputStream.class.equals(p[0])) return methodStream(clazz, m, true, false, false);
            if (OutputStream.class.equals(p[0])) return methodStream(clazz, m, false, true, false);
            if (isContext(p[0])) return methodPojo(clazz, m, null, r, true);
            return methodPojo(clazz, m, p[0], r, false);
        }
        if (p.length == 2) {
            if (OutputStream.class.equals(p[0])) return isContext(p[1]) ? methodStream(clazz, m, false, true, true) : null;
            if (isContext(p[0])) return null;
            if (InputStream.class.equals(p[0])) {
                if (OutputStream.class.equals(p[1])) return methodStream(clazz, m, true, true, false);
                return isContext(p[1]) ? methodStream(clazz, m, true, false, true) : null;
            }
            return isContext(p[1]) ? methodPojo(clazz, m, p[0], r, true) : null;
        }
        if (p.length == 3 && InputStream.class.equals(p[0]) && OutputStream.class.equals(p[1]) && isContext(p[2])) {
            return methodStream(clazz, m, true, true, true);
        }
        return null;
    }

    private static Object target(Class<?> clazz, Method m) {
        return Modifier.isStatic(m.getModifiers()) ? null : instantiate(clazz);
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    private static Invoker methodPojo(Class<?> clazz, Method m, Type input, Type output, boolean withContext) {
        Object target = target(clazz, m);
        return pojo(input, output, (event, context) -> {
            List<Object> args = new ArrayList<>(2);
            if (input != null) args.add(event);
            if (withContext) args.add(context);
            return invoke(m, target, args.toArray());
        });
    }

    private static Invoker methodStream(Class<?> clazz, Method m, boolean in, boolean out, boolean withContext) {
        Object target = target(clazz, m);
        return (event, context) -> stream(event, context, (input, output, ctx) -> {
            List<Object> args = new ArrayList<>(3);
            if (in) args.add(input);
            if (out) args.add(output);
            if (withContext) args.add(ctx);
            invoke(m, target, args.toArray());
        });
    }

    private interface PojoCall {
        Object call(Object input, Context context) throws Throwable;
    }

    private interface StreamCall {
        void call(InputStream in, OutputStream out, Context context) throws Throwable;
    }

    private static byte[] stream(byte[] event, Context context, StreamCall call) throws Throwable {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        call.call(new ByteArrayInputStream(event), out, context);
        return out.toByteArray();
    }

    private static boolean isVoid(Type t) {
        return t == void.class || t == Void.class;
    }

    /** The event read as the handler's input type, the result written as JSON (`null` for void). */
    private static Invoker pojo(Type input, Type output, PojoCall call) {
        return (event, context) -> {
            Object arg = null;
            if (input != null) {
                try {
                    arg = Pojo.fromJson(new String(event, StandardCharsets.UTF_8), input);
                } catch (Throwable t) {
                    throw new RuntimeException("An error occurred during JSON parsing", t);
                }
            }
            Object result = call.call(arg, context);
            if (output == null || isVoid(output)) return "null".getBytes(StandardCharsets.UTF_8);
            try {
                return Pojo.toJson(result).getBytes(StandardCharsets.UTF_8);
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON serialization of response", t);
            }
        };
    }
}
