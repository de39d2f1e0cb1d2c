// One JDBC thin connection attempt per argument, in one JVM (a JVM start costs more than the
// attempt). Each argument names a java.util.Properties file holding `url` plus the driver's
// connection properties (oracle.net.wallet_location, javax.net.ssl.trustStore, ...). There is
// no database behind the TLS servers of the ring, so every attempt fails: what matters is
// where. For each attempt this prints
//   ATTEMPT <file>
//   CAUSE <depth> <class>: <message>     (the exception chain, outermost first)
//   END connected|failed
// and the Rust test asserts on the innermost causes.
import java.io.FileInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.IdentityHashMap;
import java.util.Properties;

public final class JdbcTcpsClient {
    public static void main(String[] args) throws Exception {
        Class.forName("oracle.jdbc.OracleDriver");
        DriverManager.setLoginTimeout(15);
        for (String file : args) {
            Properties props = new Properties();
            try (InputStream in = new FileInputStream(file)) {
                props.load(in);
            }
            String url = (String) props.remove("url");
            System.out.println("ATTEMPT " + file);
            try (Connection c = DriverManager.getConnection(url, props)) {
                System.out.println("END connected");
            } catch (Throwable t) {
                printChain(t);
                System.out.println("END failed");
            }
            System.out.flush();
        }
    }

    private static void printChain(Throwable t) {
        IdentityHashMap<Throwable, Boolean> seen = new IdentityHashMap<>();
        int depth = 0;
        while (t != null && !seen.containsKey(t)) {
            seen.put(t, Boolean.TRUE);
            String msg = String.valueOf(t.getMessage()).replace('\n', ' ').replace('\r', ' ');
            System.out.println("CAUSE " + depth + " " + t.getClass().getName() + ": " + msg);
            t = t.getCause();
            depth++;
        }
    }
}
