package stagecraft.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Calendar;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Events to handler arguments and results to JSON, the way AWS's Java runtime serializer (Jackson,
 * configured by aws-lambda-java-serialization) does: unknown properties ignored, null properties
 * and map entries left out, a single value accepted as an array and a one-element array as a
 * value, "" as null for objects, scalars coerced to strings and numeric strings to numbers.
 */
final class Pojo {
    private Pojo() {
    }

    private static final Map<TypeVariable<?>, Type> NO_BINDINGS = Collections.emptyMap();

    static final class MappingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MappingException(String message) {
            super(message);
        }
    }

    // ---- JSON text to a typed value ----

    static Object fromJson(String json, Type type) {
        try {
            return read(Json.parse(json), type, NO_BINDINGS);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    static Object read(Object node, Type declared, Map<TypeVariable<?>, Type> bindings) {
        Type type = Types.resolve(declared, bindings);
        Class<?> c = Types.raw(type);
        if (c == Object.class) return node;
        // Jackson reads anything as a Void: null.
        if (c == Void.class) return null;
        if (node == null) return c.isPrimitive() ? defaultOf(c) : null;
        if (type instanceof GenericArrayType || c.isArray()) return readArray(node, type, bindings);
        if (Collection.class.isAssignableFrom(c)) return readCollection(node, c, type, bindings);
        if (Map.class.isAssignableFrom(c)) return readMap(node, c, type, bindings);
        if (c == Optional.class) return Optional.ofNullable(read(node, argument(type, 0), bindings));
        // UNWRAP_SINGLE_VALUE_ARRAYS, ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT
        if (node instanceof List) {
            List<?> list = (List<?>) node;
            if (list.size() == 1) return read(list.get(0), type, bindings);
            if (list.isEmpty()) return c.isPrimitive() ? defaultOf(c) : null;
            throw cannot(c, "Array value (token `JsonToken.START_ARRAY`)");
        }
        Object scalar = readScalar(node, c);
        if (scalar != NOT_SCALAR) return scalar;
        // ACCEPT_EMPTY_STRING_AS_NULL_OBJECT
        if ("".equals(node)) return null;
        if (!(node instanceof Map)) throw cannot(c, describe(node));
        return readBean(asObject(node), c, Types.bind(type, bindings));
    }

    private static final Object NOT_SCALAR = new Object();

    private static Object readScalar(Object node, Class<?> c) {
        Class<?> b = boxed(c);
        if (b == String.class || b == CharSequence.class) {
            if (node instanceof Map) throw cannot(c, "Object value (token `JsonToken.START_OBJECT`)");
            return node.toString();
        }
        if (b == Boolean.class) {
            if (node instanceof Boolean) return node;
            if (node instanceof Number) return ((Number) node).intValue() != 0;
            if ("true".equals(node) || "false".equals(node)) return Boolean.valueOf((String) node);
            if ("".equals(node)) return c.isPrimitive() ? false : null;
            throw cannot(c, describe(node));
        }
        if (b == Character.class) {
            if (node instanceof String && ((String) node).length() == 1) return ((String) node).charAt(0);
            throw cannot(c, describe(node));
        }
        if (Number.class.isAssignableFrom(b)) return readNumber(node, c, b);
        if (c.isEnum()) return readEnum(node, c);
        Object value = Scalars.read(node, c);
        return value == Scalars.NONE ? NOT_SCALAR : value;
    }

    private static Object readNumber(Object node, Class<?> c, Class<?> b) {
        BigDecimal d;
        if (node instanceof Double && (((Double) node).isNaN() || ((Double) node).isInfinite())) {
            if (b == Double.class || b == Number.class) return node;
            if (b == Float.class) return ((Double) node).floatValue();
            throw cannot(c, "Floating-point value (" + node + ")");
        }
        if (node instanceof Number) d = Json.decimal(node);
        else if (node instanceof String) {
            String s = ((String) node).trim();
            if (s.isEmpty()) return c.isPrimitive() ? defaultOf(c) : null;
            try {
                d = new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new MappingException("Cannot deserialize value of type `" + c.getName() + "` from String \"" + node + "\": not a valid `" + c.getName() + "` value");
            }
        } else if (node instanceof Boolean) {
            throw cannot(c, "Boolean value");
        } else throw cannot(c, describe(node));
        if (b == Integer.class) return d.intValue();
        if (b == Long.class) return d.longValue();
        if (b == Double.class) return d.doubleValue();
        if (b == Float.class) return d.floatValue();
        if (b == Short.class) return d.shortValue();
        if (b == Byte.class) return d.byteValue();
        if (b == BigInteger.class) return d.toBigInteger();
        if (b == BigDecimal.class || b == Number.class) return d;
        throw cannot(c, describe(node));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object readEnum(Object node, Class<?> c) {
        Object[] constants = c.getEnumConstants();
        if (node instanceof Number) {
            int i = ((Number) node).intValue();
            if (i >= 0 && i < constants.length) return constants[i];
        } else if (node instanceof String) {
            if (((String) node).isEmpty()) return null;
            try {
                return Enum.valueOf((Class) c, (String) node);
            } catch (IllegalArgumentException e) {
                // READ_UNKNOWN_ENUM_VALUES_AS_NULL
                return null;
            }
        }
        if (node instanceof Number) return null;
        throw new MappingException("Cannot deserialize value of type `" + c.getName() + "` from " + describe(node) + ": not one of the values accepted for Enum class");
    }

    private static Object readArray(Object node, Type type, Map<TypeVariable<?>, Type> bindings) {
        Type element = type instanceof GenericArrayType ? ((GenericArrayType) type).getGenericComponentType() : ((Class<?>) type).getComponentType();
        Class<?> elementClass = Types.raw(Types.resolve(element, bindings));
        if (elementClass == byte.class && node instanceof String) return Base64.getDecoder().decode((String) node);
        if (elementClass == char.class && node instanceof String) return ((String) node).toCharArray();
        List<?> items = asList(node);
        Object array = Array.newInstance(elementClass, items.size());
        for (int i = 0; i < items.size(); i++) Array.set(array, i, read(items.get(i), element, bindings));
        return array;
    }

    @SuppressWarnings("unchecked")
    private static Object readCollection(Object node, Class<?> c, Type type, Map<TypeVariable<?>, Type> bindings) {
        if ("".equals(node)) return null;
        Collection<Object> out;
        if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) out = (Collection<Object>) construct(c);
        else if (SortedSet.class.isAssignableFrom(c)) out = new TreeSet<>();
        else if (Set.class.isAssignableFrom(c)) out = new HashSet<>();
        else if (Queue.class.isAssignableFrom(c)) out = new ArrayDeque<>();
        else out = new ArrayList<>();
        Type element = argument(type, 0);
        for (Object item : asList(node)) out.add(read(item, element, bindings));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object readMap(Object node, Class<?> c, Type type, Map<TypeVariable<?>, Type> bindings) {
        if ("".equals(node)) return null;
        if (!(node instanceof Map)) throw cannot(c, describe(node));
        Map<Object, Object> out;
        if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) out = (Map<Object, Object>) construct(c);
        else if (SortedMap.class.isAssignableFrom(c)) out = new TreeMap<>();
        else out = new LinkedHashMap<>();
        Type keyType = argument(type, 0);
        Type valueType = argument(type, 1);
        for (Map.Entry<String, Object> e : asObject(node).entrySet()) {
            out.put(read(e.getKey(), keyType, bindings), read(e.getValue(), valueType, bindings));
        }
        return out;
    }

    private static Object readBean(Map<String, Object> node, Class<?> c, Map<TypeVariable<?>, Type> bindings) {
        Object record = Records.read(node, c, bindings);
        if (record != null) return record;
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw new MappingException("Cannot construct instance of `" + c.getName() + "` (no Creators, like default constructor, exist): abstract types either need to be mapped to concrete types, have custom deserializer, or contain additional type information");
        }
        Object bean = construct(c);
        Beans.Info info = Beans.of(c);
        for (Map.Entry<String, Object> e : node.entrySet()) {
            Beans.Property p = info.writable(e.getKey());
            if (p == null) continue;
            Object value = read(e.getValue(), p.setterType(), bindings);
            if (value == null && p.setterClass().isPrimitive()) continue;
            try {
                p.set(bean, value);
            } catch (InvocationTargetException ex) {
                throw new MappingException("Problem setting property \"" + p.name + "\" of `" + c.getName() + "`: " + ex.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException ex) {
                throw new MappingException("Problem setting property \"" + p.name + "\" of `" + c.getName() + "`: " + ex);
            }
        }
        return bean;
    }

    static Object construct(Class<?> c) {
        try {
            Constructor<?> k = c.getDeclaredConstructor();
            k.setAccessible(true);
            return k.newInstance();
        } catch (NoSuchMethodException e) {
            throw new MappingException("Cannot construct instance of `" + c.getName() + "` (no Creators, like default constructor, exist): cannot deserialize from Object value (no delegate- or property-based Creator)");
        } catch (InvocationTargetException e) {
            throw new MappingException("Cannot construct instance of `" + c.getName() + "`, problem: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new MappingException("Cannot construct instance of `" + c.getName() + "`, problem: " + e);
        }
    }

    private static Type argument(Type type, int i) {
        if (type instanceof ParameterizedType) {
            Type[] args = ((ParameterizedType) type).getActualTypeArguments();
            if (i < args.length) return args[i];
        }
        return Object.class;
    }

    private static List<?> asList(Object node) {
        // ACCEPT_SINGLE_VALUE_AS_ARRAY
        return node instanceof List ? (List<?>) node : Collections.singletonList(node);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object node) {
        return (Map<String, Object>) node;
    }

    private static MappingException cannot(Class<?> c, String from) {
        return new MappingException("Cannot deserialize value of type `" + c.getName() + "` from " + from);
    }

    private static String describe(Object node) {
        if (node instanceof Map) return "Object value (token `JsonToken.START_OBJECT`)";
        if (node instanceof List) return "Array value (token `JsonToken.START_ARRAY`)";
        if (node instanceof String) return "String \"" + node + "\"";
        if (node instanceof Boolean) return "Boolean value";
        return "Number value (" + node + ")";
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) return c;
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == double.class) return Double.class;
        if (c == float.class) return Float.class;
        if (c == boolean.class) return Boolean.class;
        if (c == short.class) return Short.class;
        if (c == byte.class) return Byte.class;
        if (c == char.class) return Character.class;
        return c;
    }

    private static Object defaultOf(Class<?> c) {
        if (c == boolean.class) return false;
        if (c == char.class) return '\0';
        return readNumber(0, c, boxed(c));
    }

    // ---- a value to JSON text ----

    static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, new IdentityHashMap<>());
        return out.toString();
    }

    private static void write(Object v, StringBuilder out, IdentityHashMap<Object, Boolean> path) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence || v instanceof Character) {
            Json.quote(v.toString(), out);
        } else if (v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) Json.quote(v.toString(), out);
            else out.append(v);
        } else if (v instanceof Number) {
            out.append(v);
        } else if (v instanceof Enum) {
            Json.quote(((Enum<?>) v).name(), out);
        } else if (Scalars.write(v, out)) {
            return;
        } else if (v instanceof Calendar) {
            out.append(((Calendar) v).getTimeInMillis());
        } else if (v instanceof Optional) {
            write(((Optional<?>) v).orElse(null), out, path);
        } else if (v instanceof byte[]) {
            Json.quote(Base64.getEncoder().encodeToString((byte[]) v), out);
        } else if (v instanceof char[]) {
            Json.quote(new String((char[]) v), out);
        } else {
            if (path.put(v, Boolean.TRUE) != null) throw new MappingException("Direct self-reference leading to cycle (through a `" + v.getClass().getName() + "`)");
            try {
                writeContainer(v, out, path);
            } finally {
                path.remove(v);
            }
        }
    }

    private static void writeContainer(Object v, StringBuilder out, IdentityHashMap<Object, Boolean> path) {
        if (v instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (e.getValue() == null) continue;
                if (!first) out.append(',');
                first = false;
                Object k = e.getKey();
                Json.quote(k instanceof Enum ? ((Enum<?>) k).name() : String.valueOf(k), out);
                out.append(':');
                write(e.getValue(), out, path);
            }
            out.append('}');
        } else if (v instanceof Iterable || v.getClass().isArray()) {
            out.append('[');
            boolean first = true;
            Iterable<?> items = v instanceof Iterable ? (Iterable<?>) v : arrayItems(v);
            for (Object item : items) {
                if (!first) out.append(',');
                first = false;
                write(item, out, path);
            }
            out.append(']');
        } else {
            writeBean(v, out, path);
        }
    }

    private static List<Object> arrayItems(Object array) {
        int n = Array.getLength(array);
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(Array.get(array, i));
        return items;
    }

    private static void writeBean(Object v, StringBuilder out, IdentityHashMap<Object, Boolean> path) {
        Map<String, Object> values = Records.values(v);
        if (values == null) {
            values = new LinkedHashMap<>();
            for (Beans.Property p : Beans.of(v.getClass()).readable) {
                try {
                    if (p.getter instanceof Method) ((Method) p.getter).setAccessible(true);
                    values.put(p.name, p.get(v));
                } catch (InvocationTargetException e) {
                    throw new MappingException("Failed to get property \"" + p.name + "\" of `" + v.getClass().getName() + "`: " + e.getCause());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new MappingException("Failed to get property \"" + p.name + "\" of `" + v.getClass().getName() + "`: " + e);
                }
            }
        }
        // NON_NULL: a bean's null properties are left out, like null map values.
        writeContainer(values, out, path);
    }
}
