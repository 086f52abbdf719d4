package stagecraft.lambda;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader (to a tree of LinkedHashMap, ArrayList, String, Integer/Long/BigInteger,
 * Double, Boolean and null, as Jackson reads untyped values) with the leniencies AWS's serializer
 * enables (single quotes, unquoted field names, NaN and Infinity, leading zeros, control characters
 * in strings; no comments), and string quoting for the writer.
 */
final class Json {
    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        Json p = new Json(text);
        p.space();
        // Jackson reads an empty document as null.
        if (p.pos == text.length()) return null;
        Object value = p.value();
        p.space();
        if (p.pos != text.length()) throw p.error("Unexpected character ('" + text.charAt(p.pos) + "'): expected end of input");
        return value;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at position " + pos);
    }

    private void space() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else return;
        }
    }

    private Object value() {
        if (pos >= text.length()) throw error("Unexpected end-of-input");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"':
            case '\'': return string();
            case 'N': return literal("NaN", Double.NaN);
            case 'I': return literal("Infinity", Double.POSITIVE_INFINITY);
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' && text.startsWith("-Infinity", pos)) return literal("-Infinity", Double.NEGATIVE_INFINITY);
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("Unexpected character ('" + c + "')");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("Unrecognized token");
        pos += word.length();
        return value;
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        space();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            space();
            String key = name();
            space();
            if (peek() != ':') throw error("Unexpected character: was expecting a colon to separate field name and value");
            pos++;
            space();
            map.put(key, value());
            space();
            char c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') throw error("Unexpected character: was expecting comma to separate Object entries");
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        space();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            space();
            list.add(value());
            space();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') throw error("Unexpected character: was expecting comma to separate Array entries");
        }
    }

    private char peek() {
        if (pos >= text.length()) throw error("Unexpected end-of-input");
        return text.charAt(pos);
    }

    /** A field name: quoted (single quotes allowed) or, as AWS's parser allows, unquoted. */
    private String name() {
        char c = peek();
        if (c == '"' || c == '\'') return string();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '$')) pos++;
        if (pos == start) throw error("Unexpected character ('" + c + "'): was expecting double-quote to start field name");
        return text.substring(start, pos);
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        char quote = text.charAt(pos++);
        while (true) {
            if (pos >= text.length()) throw error("Unexpected end-of-input in a String value");
            char c = text.charAt(pos++);
            if (c == quote) return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            pos++;
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'u':
                    if (pos + 4 > text.length()) throw error("Unexpected end-of-input in a unicode escape");
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default: sb.append(e);
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean fraction = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.' || c == 'e' || c == 'E') fraction = true;
            else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) break;
            pos++;
        }
        String n = text.substring(start, pos);
        try {
            if (fraction) return Double.valueOf(n);
            BigInteger big = new BigInteger(n);
            if (big.bitLength() < 32) return big.intValue();
            if (big.bitLength() < 64) return big.longValue();
            return big;
        } catch (NumberFormatException e) {
            throw error("Malformed number " + n);
        }
    }

    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04X", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }

    static BigDecimal decimal(Object n) {
        return n instanceof BigDecimal ? (BigDecimal) n : new BigDecimal(n.toString());
    }
}
