package stagecraft.lambda;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class's JSON properties as the Jackson configuration of AWS's Java runtime sees them (the
 * user's own Jackson annotations not applying): getX/isX getters, setX setters and public fields
 * (no private field is set through its getter: INFER_PROPERTY_MUTATORS is off there), named by the
 * standard bean rules (USE_STD_BEAN_NAMING: getName -> "name", getURL -> "URL"); properties in their
 * fields' declaration order, then the getter-only ones by name. The classes of
 * aws-lambda-java-events, which AWS's serializer reads through mixins naming their capitalised
 * JSON properties ("Records"), are matched ignoring case instead.
 */
final class Beans {
    private Beans() {
    }

    /** How one property is read (getter or field) and written (setter or field). */
    static final class Property {
        final String name;
        Member getter;
        Member setter;

        Property(String name) {
            this.name = name;
        }

        Object get(Object bean) throws ReflectiveOperationException {
            return getter instanceof Method ? ((Method) getter).invoke(bean) : ((Field) getter).get(bean);
        }

        void set(Object bean, Object value) throws ReflectiveOperationException {
            if (setter instanceof Method) ((Method) setter).invoke(bean, value);
            else ((Field) setter).set(bean, value);
        }

        Type setterType() {
            return setter instanceof Method ? ((Method) setter).getGenericParameterTypes()[0] : ((Field) setter).getGenericType();
        }

        Class<?> setterClass() {
            return setter instanceof Method ? ((Method) setter).getParameterTypes()[0] : ((Field) setter).getType();
        }
    }

    /** A class's properties: in output order, and by exact and case-insensitive name. */
    static final class Info {
        final List<Property> readable = new ArrayList<>();
        final Map<String, Property> byName = new LinkedHashMap<>();
        final Map<String, Property> byLowerName = new TreeMap<>();

        boolean events;

        Property writable(String key) {
            Property p = byName.get(key);
            if (events && (p == null || p.setter == null)) p = byLowerName.get(key.toLowerCase(Locale.ROOT));
            return p != null && p.setter != null ? p : null;
        }
    }

    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";
    private static final Map<Class<?>, Info> CACHE = new ConcurrentHashMap<>();

    static Info of(Class<?> c) {
        return CACHE.computeIfAbsent(c, Beans::build);
    }

    private static Info build(Class<?> c) {
        Map<String, Property> props = new LinkedHashMap<>();
        Map<String, Field> fields = new LinkedHashMap<>();
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) chain.add(k);
        Collections.reverse(chain);
        for (Class<?> k : chain) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) continue;
                fields.putIfAbsent(f.getName(), f);
                props.putIfAbsent(f.getName(), new Property(f.getName()));
            }
        }
        Map<String, Property> getterOnly = new TreeMap<>();
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isBridge() || m.getDeclaringClass() == Object.class) continue;
            String name = m.getName();
            String prop = null;
            boolean getter = false;
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class) {
                if (name.startsWith("get") && name.length() > 3) prop = mangle(name.substring(3));
                else if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == boolean.class) prop = mangle(name.substring(2));
                getter = prop != null;
            } else if (m.getParameterCount() == 1 && name.startsWith("set") && name.length() > 3) {
                prop = mangle(name.substring(3));
            }
            if (prop == null) continue;
            Property p = props.get(prop);
            if (p == null) p = getterOnly.computeIfAbsent(prop, Property::new);
            if (getter) {
                if (p.getter == null || name.startsWith("get")) p.getter = m;
            } else if (p.setter == null) p.setter = m;
        }
        props.putAll(getterOnly);
        Info info = new Info();
        info.events = c.getName().startsWith(EVENTS_PACKAGE);
        for (Property p : props.values()) {
            Field f = fields.get(p.name);
            if (f != null && Modifier.isPublic(f.getModifiers())) {
                if (p.getter == null) p.getter = f;
                if (p.setter == null && !Modifier.isFinal(f.getModifiers())) p.setter = f;
            }
            if (p.getter != null) info.readable.add(p);
            if (p.getter != null || p.setter != null) {
                info.byName.put(p.name, p);
                info.byLowerName.putIfAbsent(p.name.toLowerCase(Locale.ROOT), p);
            }
        }
        return info;
    }

    /** java.beans.Introspector.decapitalize: "Name" -> "name", "URL" -> "URL", "X" -> "x". */
    static String mangle(String base) {
        if (base.length() > 1 && Character.isUpperCase(base.charAt(0)) && Character.isUpperCase(base.charAt(1))) return base;
        return Character.toLowerCase(base.charAt(0)) + base.substring(1);
    }
}
