package stagecraft.lambda;

import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.Currency;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Values that are JSON strings or numbers in AWS's serializer without being beans: Jackson's
 * from-string types (UUID, URI, URL, File, Path, Locale, Pattern, Currency, Charset, Class) and
 * java.time through its JavaTimeModule, with timestamps as numbers and arrays, as that module
 * writes them by default (Instant 1700000000.123456789, LocalDate [2024,1,15]).
 */
final class Scalars {
    private Scalars() {
    }

    static final Object NONE = new Object();

    /** The value a string or number stands for in class c, or NONE when c is not such a type. */
    static Object read(Object node, Class<?> c) {
        if (node instanceof Number) return fromNumber((Number) node, c);
        if (!(node instanceof String)) return NONE;
        String s = (String) node;
        try {
            if (c == UUID.class) return UUID.fromString(s);
            if (c == URI.class) return new URI(s);
            if (c == URL.class) return new URL(s);
            if (c == File.class) return new File(s);
            if (c == Path.class) return Paths.get(new URI(s));
            if (c == Locale.class) return Locale.forLanguageTag(s.replace('_', '-'));
            if (c == Pattern.class) return Pattern.compile(s);
            if (c == Currency.class) return Currency.getInstance(s);
            if (c == Charset.class) return Charset.forName(s);
            if (c == Class.class) return Class.forName(s, false, Thread.currentThread().getContextClassLoader());
            if (c == Date.class) return Date.from(Instant.parse(s));
            if (c == ZoneId.class) return ZoneId.of(s);
            if (c.getName().startsWith("java.time.")) return c.getMethod("parse", CharSequence.class).invoke(null, s);
        } catch (Exception e) {
            throw new Pojo.MappingException("Cannot deserialize value of type `" + c.getName() + "` from String \"" + s + "\": " + e);
        }
        return NONE;
    }

    private static Object fromNumber(Number n, Class<?> c) {
        if (c == Date.class) return new Date(n.longValue());
        if (c == Instant.class || c == Duration.class) {
            BigDecimal d = Json.decimal(n);
            long seconds = d.longValue();
            int nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
            return c == Instant.class ? Instant.ofEpochSecond(seconds, nanos) : Duration.ofSeconds(seconds, nanos);
        }
        return NONE;
    }

    /** Writes v if it is such a value; false when it is not. */
    static boolean write(Object v, StringBuilder out) {
        if (v instanceof Date) {
            out.append(((Date) v).getTime());
        } else if (v instanceof Instant) {
            seconds(((Instant) v).getEpochSecond(), ((Instant) v).getNano(), out);
        } else if (v instanceof OffsetDateTime || v instanceof ZonedDateTime) {
            Instant i = Instant.from((TemporalAccessor) v);
            seconds(i.getEpochSecond(), i.getNano(), out);
        } else if (v instanceof Duration) {
            seconds(((Duration) v).getSeconds(), ((Duration) v).getNano(), out);
        } else if (v instanceof LocalDate) {
            LocalDate d = (LocalDate) v;
            out.append('[').append(d.getYear()).append(',').append(d.getMonthValue()).append(',').append(d.getDayOfMonth()).append(']');
        } else if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            out.append('[').append(t.getYear()).append(',').append(t.getMonthValue()).append(',').append(t.getDayOfMonth()).append(',');
            time(t.toLocalTime(), out);
            out.append(']');
        } else if (v instanceof LocalTime) {
            out.append('[');
            time((LocalTime) v, out);
            out.append(']');
        } else if (v instanceof Class) {
            Json.quote(((Class<?>) v).getName(), out);
        } else if (v instanceof Path) {
            Json.quote(((Path) v).toUri().toString(), out);
        } else if (v instanceof File) {
            Json.quote(((File) v).getAbsolutePath(), out);
        } else if (v instanceof Locale) {
            Json.quote(v.toString(), out);
        } else if (v instanceof UUID || v instanceof URI || v instanceof URL || v instanceof Pattern || v instanceof Currency || v instanceof Charset
            || v.getClass().getName().startsWith("java.time.")) {
            Json.quote(v.toString(), out);
        } else {
            return false;
        }
        return true;
    }

    private static void seconds(long seconds, int nanos, StringBuilder out) {
        out.append(seconds).append('.').append(String.format("%09d", nanos));
    }

    private static void time(LocalTime t, StringBuilder out) {
        out.append(t.getHour()).append(',').append(t.getMinute());
        if (t.getSecond() > 0 || t.getNano() > 0) out.append(',').append(t.getSecond());
        if (t.getNano() > 0) out.append(',').append(t.getNano());
    }
}
