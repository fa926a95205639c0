import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

// Opens the JDBC connection Druid's metadata-store connector would open (same URL, user and
// password; the PostgreSQL driver on the classpath) and reports what the server says about the
// session's encryption.
//
// Usage: java -cp /usr/share/java/postgresql.jar JdbcConnect.java <jdbc-url> <user> [password-variable]
//
// The password is read from an environment variable (default DRUID_METADATA_PASSWORD), as Druid's
// environment password provider, {"type":"environment","variable":"..."}, does (System.getenv).
// On success prints key=value lines (ssl, version, user, database) and exits 0; on failure prints
// the SQLState and message to stderr and exits 1 (2 for bad usage).
public class JdbcConnect {
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: JdbcConnect <jdbc-url> <user> [password-variable]");
            System.exit(2);
        }
        String url = args[0];
        String variable = args.length == 3 ? args[2] : "DRUID_METADATA_PASSWORD";
        String password = System.getenv(variable);
        if (password == null) {
            System.err.println("FAILED sqlstate=none message=environment variable " + variable + " is not set");
            System.exit(1);
        }
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("password", password);
        // Bound every wait, so a test never hangs on a silent server.
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "10");
        props.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection(url, props);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(
                 "SELECT ssl, version, current_user, current_database() FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            if (!r.next()) {
                System.err.println("FAILED sqlstate=none message=no pg_stat_ssl row for this backend");
                System.exit(1);
            }
            System.out.println("ssl=" + r.getBoolean(1));
            System.out.println("version=" + r.getString(2));
            System.out.println("user=" + r.getString(3));
            System.out.println("database=" + r.getString(4));
        } catch (SQLException e) {
            System.err.println("FAILED sqlstate=" + e.getSQLState() + " message=" + e.getMessage());
            System.exit(1);
        }
    }
}
