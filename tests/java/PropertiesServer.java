import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import java.util.TreeSet;

// java.util.Properties in a long-running process, so many files cost one JVM start: each stdin line is
// a base64 .properties file; each stdout line is its keys and values as code points, read the way
// Druid reads them (java.util.Properties, UTF-8 reader), sorted by key.
public class PropertiesServer {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            Properties p = new Properties();
            try (InputStreamReader r = new InputStreamReader(new ByteArrayInputStream(Base64.getDecoder().decode(line)), StandardCharsets.UTF_8)) {
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
            System.out.flush();
        }
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
