import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

// Reads a .properties file the way Druid does (java.util.Properties, UTF-8 reader) and prints each
// key and value as code points, so the test can compare them exactly.
public class ReadProperties {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (InputStreamReader r = new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            if (!first) out.append(",");
            first = false;
            out.append("[").append(codes(k)).append(",").append(codes(p.getProperty(k))).append("]");
        }
        System.out.println(out.append("]"));
    }

    static String codes(String s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length(); i++) {
            if (i > 0) b.append(",");
            b.append((int) s.charAt(i));
        }
        return b.append("]").toString();
    }
}
