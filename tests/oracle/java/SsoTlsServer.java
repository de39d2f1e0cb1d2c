// A TLS server whose key and trust come from Oracle's own SSO KeyStore (oraclepki's
// OraclePKIProvider), loaded from an auto-login cwallet.sso with no password.
//
//   java SsoTlsServer <cwallet.sso> <need-client-auth: true|false> <seconds> <connections>
//
// It binds 127.0.0.1 on a free port and prints `LISTENING <port>`, then serves one connection
// at a time: the handshake, then reading what the client sends, for 2 s at most (a JDBC or
// python-oracledb client sends its Oracle Net connect packet), then it closes. Per connection
// it prints `HANDSHAKE OK <protocol> <suite> key=<algorithm> sha256=<certificate fingerprint>
// peer=<client certificate subject or none>` and
// `RECEIVED <n> <printable text>`, or `HANDSHAKE FAILED <exception chain>`. It exits by itself
// after <connections> connections or <seconds> seconds, whichever comes first.
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public final class SsoTlsServer {
    public static void main(String[] args) throws Exception {
        String sso = args[0];
        boolean needClientAuth = Boolean.parseBoolean(args[1]);
        long seconds = Long.parseLong(args[2]);
        int connections = Integer.parseInt(args[3]);

        KeyStore ks = KeyStore.getInstance("SSO", new oracle.security.pki.OraclePKIProvider());
        try (InputStream in = new FileInputStream(sso)) {
            ks.load(in, null);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        // Bounded in time whatever the clients do.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("TIMEOUT");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();

        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        server.setNeedClientAuth(needClientAuth);
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        for (int i = 0; i < connections; i++) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(2000);
                try {
                    s.startHandshake();
                    SSLSession session = s.getSession();
                    String peer = "none";
                    try {
                        Certificate[] chain = session.getPeerCertificates();
                        peer = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                        // no client certificate
                    }
                    X509Certificate local = (X509Certificate) session.getLocalCertificates()[0];
                    System.out.println("HANDSHAKE OK " + session.getProtocol() + " "
                        + session.getCipherSuite() + " key=" + local.getPublicKey().getAlgorithm()
                        + " sha256=" + sha256(local.getEncoded()) + " peer=" + peer);
                    System.out.flush();
                    // Clients may split the connect packet over several records: read
                    // until its connect descriptor is whole, the client stops, or 2 s pass.
                    byte[] buf = new byte[4096];
                    int n = 0;
                    StringBuilder text = new StringBuilder();
                    try {
                        while (n < buf.length && !descriptorComplete(text)) {
                            int got = s.getInputStream().read(buf, n, buf.length - n);
                            if (got < 0) {
                                break;
                            }
                            for (int k = n; k < n + got; k++) {
                                char c = (char) (buf[k] & 0xff);
                                text.append(c >= 0x20 && c < 0x7f ? c : '.');
                            }
                            n += got;
                        }
                    } catch (SocketTimeoutException e) {
                        // the client sent nothing more (s_client sends nothing): fine
                    }
                    System.out.println("RECEIVED " + n + " " + text);
                } catch (Exception e) {
                    StringBuilder chain = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        chain.append(" | ").append(t.getClass().getName()).append(": ").append(t.getMessage());
                    }
                    System.out.println("HANDSHAKE FAILED" + chain);
                }
                System.out.flush();
            }
        }
        System.out.println("DONE");
    }

    /** Whether the text holds `(DESCRIPTION=` with its parentheses closed. */
    private static boolean descriptorComplete(StringBuilder text) {
        int at = text.indexOf("(DESCRIPTION=");
        if (at < 0) {
            return false;
        }
        int depth = 0;
        for (int k = at; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] der) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(der)) {
            hex.append(String.format("%02X", b & 0xff));
        }
        return hex.toString();
    }
}
