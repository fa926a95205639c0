import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What Druid's basic authorizer does with a permission's resource name (BasicAuthorizerPermission:
 * Pattern.compile(name); a match is matcher(resourceName).matches()). Arguments: PATTERN NAME pairs.
 * Prints one line per pair: "error" when the pattern does not compile, else "true" or "false".
 */
public class RegexCompile {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            try {
                System.out.println(Pattern.compile(args[i]).matcher(args[i + 1]).matches());
            } catch (PatternSyntaxException e) {
                System.out.println("error");
            }
        }
    }
}
