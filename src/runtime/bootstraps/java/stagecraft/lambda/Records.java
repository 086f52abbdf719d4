package stagecraft.lambda;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Java records (Java 16+) as JSON objects of their components, read through the canonical
 * constructor. Reflective, so the runtime also compiles and runs on JDKs without records.
 */
final class Records {
    private Records() {
    }

    private static Object[] components(Class<?> c) {
        try {
            if (!(Boolean) Class.class.getMethod("isRecord").invoke(c)) return null;
            return (Object[]) Class.class.getMethod("getRecordComponents").invoke(c);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Object call(Object component, String method) throws ReflectiveOperationException {
        Method m = component.getClass().getMethod(method);
        return m.invoke(component);
    }

    /** The record's components by name, or null when v is not a record. */
    static Map<String, Object> values(Object v) {
        Object[] comps = components(v.getClass());
        if (comps == null) return null;
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            for (Object comp : comps) {
                Method accessor = (Method) call(comp, "getAccessor");
                accessor.setAccessible(true);
                values.put((String) call(comp, "getName"), accessor.invoke(v));
            }
        } catch (ReflectiveOperationException e) {
            throw new Pojo.MappingException("Failed to read record `" + v.getClass().getName() + "`: " + e);
        }
        return values;
    }

    /** A record built from an object's properties, or null when c is not a record. */
    static Object read(Map<String, Object> node, Class<?> c, Map<TypeVariable<?>, Type> bindings) {
        Object[] comps = components(c);
        if (comps == null) return null;
        try {
            Class<?>[] types = new Class<?>[comps.length];
            Object[] args = new Object[comps.length];
            for (int i = 0; i < comps.length; i++) {
                types[i] = (Class<?>) call(comps[i], "getType");
                args[i] = Pojo.read(node.get((String) call(comps[i], "getName")), (Type) call(comps[i], "getGenericType"), bindings);
            }
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new Pojo.MappingException("Cannot construct instance of `" + c.getName() + "`, problem: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new Pojo.MappingException("Cannot construct instance of `" + c.getName() + "`, problem: " + e);
        }
    }
}
