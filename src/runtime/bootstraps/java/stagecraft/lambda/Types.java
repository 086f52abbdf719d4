package stagecraft.lambda;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Generic types resolved through a class's type-variable bindings (List<T> in Base<T>, RequestHandler<I, O>). */
final class Types {
    private Types() {
    }

    /** The concrete type a type stands for: a bound variable's binding, else its first bound. */
    static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        for (int depth = 0; depth < 32; depth++) {
            if (type instanceof TypeVariable) {
                Type bound = bindings.get(type);
                type = bound != null ? bound : ((TypeVariable<?>) type).getBounds()[0];
            } else if (type instanceof WildcardType) {
                type = ((WildcardType) type).getUpperBounds()[0];
            } else return type;
        }
        return Object.class;
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class) return (Class<?>) type;
        if (type instanceof ParameterizedType) return (Class<?>) ((ParameterizedType) type).getRawType();
        if (type instanceof GenericArrayType) return Object[].class;
        return Object.class;
    }

    /** Bindings for a parameterized type's own variables (args resolved in the outer bindings). */
    static Map<TypeVariable<?>, Type> bind(Type type, Map<TypeVariable<?>, Type> outer) {
        Map<TypeVariable<?>, Type> result = new HashMap<>();
        if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            TypeVariable<?>[] vars = raw(p).getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length && i < args.length; i++) result.put(vars[i], resolveDeep(args[i], outer));
        }
        // Variables of superclasses and interfaces, as the class binds them (class Foo extends Base<String>).
        addSupertypes(raw(type), result);
        return result;
    }

    private static Type resolveDeep(Type arg, Map<TypeVariable<?>, Type> outer) {
        return arg instanceof TypeVariable || arg instanceof WildcardType ? resolve(arg, outer) : arg;
    }

    private static void addSupertypes(Class<?> start, Map<TypeVariable<?>, Type> bindings) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            Type sup = c.getGenericSuperclass();
            if (sup != null) bindOne(sup, bindings, todo);
            for (Type i : c.getGenericInterfaces()) bindOne(i, bindings, todo);
        }
    }

    private static void bindOne(Type sup, Map<TypeVariable<?>, Type> bindings, Deque<Class<?>> todo) {
        if (sup instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) sup;
            TypeVariable<?>[] vars = raw(p).getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length && i < args.length; i++) {
                if (!bindings.containsKey(vars[i])) bindings.put(vars[i], resolveDeep(args[i], bindings));
            }
        }
        todo.add(raw(sup));
    }

    /**
     * The type arguments a class gives a generic interface (RequestHandler's I and O), or null when
     * it does not implement it with arguments. A variable left unbound stays a TypeVariable.
     */
    static Type[] interfaceArguments(Class<?> clazz, Class<?> iface) {
        Map<TypeVariable<?>, Type> bindings = bind(clazz, new HashMap<>());
        TypeVariable<?>[] vars = iface.getTypeParameters();
        Type[] result = new Type[vars.length];
        for (int i = 0; i < vars.length; i++) {
            Type t = bindings.get(vars[i]);
            if (t == null) return null;
            result[i] = t;
        }
        return result;
    }
}
