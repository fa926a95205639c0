import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

// What Druid's HTTPS server does with druid.server.https.certAlias, on a real JDK TLS stack.
//
// Druid's JettyServerModule hands the TLS settings to Jetty's SslContextFactory.Server
// (apache/druid, server/src/main/java/org/apache/druid/server/initialization/jetty/JettyServerModule.java:
// setKeyStorePath, setKeyStoreType, setKeyStorePassword, setCertAlias(tlsServerConfig.getCertAlias()),
// setKeyManagerFactoryAlgorithm(KeyManagerFactory.getDefaultAlgorithm() unless set), setKeyManagerPassword).
// Jetty then (jetty/jetty.project, tag jetty-9.4.56.v20240826,
// jetty-util/src/main/java/org/eclipse/jetty/util/ssl/SslContextFactory.java):
//   - lines 1242-1262 getKeyManagers: KeyManagerFactory.init(keyStore, keyManagerPassword ?: keyStorePassword),
//     and with a certAlias wraps every X509ExtendedKeyManager in AliasedX509ExtendedKeyManager;
//   - lines 1264-1273: if a certificate in the keystore has a wildcard name, or there are several host
//     names/aliases, it wraps again in SniX509ExtendedKeyManager (same logic in jetty-12.0.x,
//     jetty-core/jetty-util/.../SslContextFactory.java lines 1186-1194 and 2332-2349);
//   - lines 328-370 load(): the alias -> certificate map the SNI layer selects from: every alias whose
//     certificate is X.509 and not a CA (X509.isCertSign).
// AliasedX509ExtendedKeyManager (same tag, lines 71-131) returns the configured alias only if it is
// among the delegate's getServerAliases(keyType, issuers) -- an exact, case-sensitive String.equals
// against the aliases the KeyStore enumerates (PKCS12 and JKS enumerate them lower-cased) -- and
// otherwise null: the JDK then has no certificate for that key type and the handshake fails.
// SniX509ExtendedKeyManager.chooseServerAlias (lines 116-175) with SslContextFactory.Server.sniSelect
// (lines 2392-2432): no SNI -> delegate (the aliased manager); an SNI host matching a certificate of the
// delegate's getServerAliases -> that alias, WITHOUT asking the aliased manager; an SNI host that
// matches none of them -> delegate, unless some certificate of the keystore matches it (then null).
//
// This program models exactly that: server=aliased is the aliased manager alone (Jetty without the SNI
// layer, or a client that sends no SNI), server=jetty adds the SNI layer when Jetty would.
//
// Passwords are read from environment variables, as Druid's environment password provider
// ({"type":"environment","variable":"..."}) does.
//
// Usage: java TlsAlias.java <command> [-- <command> ...]
//   list      store=<file> type=<pkcs12|jks> password=<env var> [alias=<alias>]
//   handshake label=<text> keystore=<file> keystoreType=<type> keystorePassword=<env var>
//             [keyManagerPassword=<env var>] [certAlias=<alias>] [server=aliased|jetty]
//             truststore=<file> truststoreType=<type> truststorePassword=<env var>
//             [protocol=<client SSLContext protocol, default TLS>] host=<name the client asks for>
//             [validateHostnames=true|false] [sni=true|false]
// Prints one JSON object per command on its own line. Exit status: 0 when every handshake succeeded
// and every alias asked for (list alias=, handshake certAlias=) names a key entry; 1 otherwise;
// 2 for bad usage or an unreadable store.
public class TlsAlias {
    private static int failures = 0;

    public static void main(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--")) {
                if (!current.isEmpty()) commands.add(current);
                current = new ArrayList<>();
            } else {
                current.add(a);
            }
        }
        if (!current.isEmpty()) commands.add(current);
        if (commands.isEmpty()) usage("no command");
        for (List<String> command : commands) {
            Map<String, String> o = options(command.subList(1, command.size()));
            try {
                switch (command.get(0)) {
                    case "list": System.out.println(list(o)); break;
                    case "handshake": System.out.println(handshake(o)); break;
                    default: usage("unknown command " + command.get(0));
                }
            } catch (Exception e) {
                System.err.println("FAILED " + command + ": " + e);
                System.exit(2);
            }
            System.out.flush();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    // ---- list -------------------------------------------------------------------------------

    static String list(Map<String, String> o) throws Exception {
        KeyStore ks = load(need(o, "store"), need(o, "type"), need(o, "password"));
        Json j = new Json().put("command", "list").put("store", o.get("store")).put("type", ks.getType())
            .put("keyManagerFactoryAlgorithm", KeyManagerFactory.getDefaultAlgorithm());
        List<String> entries = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            Certificate[] chain = ks.isKeyEntry(alias) ? ks.getCertificateChain(alias) : new Certificate[] { ks.getCertificate(alias) };
            List<String> subjects = new ArrayList<>();
            if (chain != null) for (Certificate c : chain) subjects.add(Json.quote(((X509Certificate) c).getSubjectX500Principal().getName()));
            X509Certificate first = chain == null || chain.length == 0 ? null : (X509Certificate) chain[0];
            entries.add(new Json().put("alias", alias).put("key", ks.isKeyEntry(alias)).put("trusted", ks.isCertificateEntry(alias))
                .raw("chain", "[" + String.join(",", subjects) + "]")
                .raw("dnsNames", Json.array(first == null ? List.of() : dnsNames(first))).toString());
        }
        j.raw("entries", "[" + String.join(",", entries) + "]");
        String alias = o.get("alias");
        if (alias != null) {
            boolean key = ks.isKeyEntry(alias);
            j.put("alias", alias).put("aliasIsKey", key);
            if (!key) failures++;
        }
        return j.toString();
    }

    // ---- handshake --------------------------------------------------------------------------

    static String handshake(Map<String, String> o) throws Exception {
        String label = need(o, "label");
        String certAlias = o.get("certAlias");
        String server = o.getOrDefault("server", "aliased");
        if (!server.equals("aliased") && !server.equals("jetty")) usage("server must be aliased or jetty");
        String host = need(o, "host");
        boolean sni = Boolean.parseBoolean(o.getOrDefault("sni", "true"));
        boolean validateHostnames = Boolean.parseBoolean(o.getOrDefault("validateHostnames", "true"));
        String protocol = o.getOrDefault("protocol", "TLS");

        // Server: keystore and key manager as Jetty builds them.
        KeyStore ks = load(need(o, "keystore"), need(o, "keystoreType"), need(o, "keystorePassword"));
        char[] keyManagerPassword = password(o.getOrDefault("keyManagerPassword", o.get("keystorePassword")));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, keyManagerPassword);
        X509ExtendedKeyManager base = null;
        for (KeyManager km : kmf.getKeyManagers()) if (km instanceof X509ExtendedKeyManager) base = (X509ExtendedKeyManager) km;
        if (base == null) throw new IllegalStateException("no X509ExtendedKeyManager from " + kmf.getAlgorithm());
        Recording recording = new Recording(certAlias == null ? base : new Aliased(base, certAlias));
        X509ExtendedKeyManager km = recording;
        Map<String, JettyX509> certs = jettyAliasCerts(ks);
        boolean sniLayer = server.equals("jetty") && jettyWantsSni(certs);
        if (sniLayer) km = new Sni(recording, certs);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new KeyManager[] { km }, null, null);

        // Client: Druid's simple-client-sslcontext with the truststore it is given.
        KeyStore ts = load(need(o, "truststore"), need(o, "truststoreType"), need(o, "truststorePassword"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext clientContext = SSLContext.getInstance(protocol);
        clientContext.init(null, tmf.getTrustManagers(), null);

        Set<String> listed = new LinkedHashSet<>();
        for (String a : Collections.list(ks.aliases())) if (ks.isKeyEntry(a)) listed.add(a);
        Json j = new Json().put("command", "handshake").put("label", label).put("certAlias", certAlias).put("server", server)
            .put("sniLayer", sniLayer).put("sniSent", sni ? host : null).put("host", host)
            .raw("keyAliases", Json.array(listed));
        if (certAlias != null) {
            // keyEntry: KeyStore's own lookup (case-insensitive for PKCS12 and JKS);
            // aliasListed: what Jetty compares with String.equals.
            j.put("keyEntry", ks.isKeyEntry(certAlias)).put("aliasListed", listed.contains(certAlias));
            if (!ks.isKeyEntry(certAlias)) failures++;
        }

        String clientError = null;
        String serverError;
        try (SSLServerSocket ss = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(10_000);
            CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    return null;
                } catch (Exception e) {
                    return e.toString();
                }
            });
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 10_000);
                raw.setSoTimeout(10_000);
                // Layered on a socket connected to 127.0.0.1: the client asks for, and verifies, `host`.
                try (SSLSocket c = (SSLSocket) clientContext.getSocketFactory().createSocket(raw, host, ss.getLocalPort(), true)) {
                    SSLParameters p = c.getSSLParameters();
                    if (validateHostnames) p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setServerNames(sni ? List.<SNIServerName>of(new SNIHostName(host)) : List.of());
                    c.setSSLParameters(p);
                    c.startHandshake();
                    SSLSession session = c.getSession();
                    X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
                    j.put("protocol", session.getProtocol()).put("cipherSuite", session.getCipherSuite())
                        .put("peer", peer.getSubjectX500Principal().getName()).raw("peerDnsNames", Json.array(dnsNames(peer)))
                        .put("peerIssuer", peer.getIssuerX500Principal().getName());
                }
            } catch (Exception e) {
                clientError = e.toString();
            }
            serverError = serverSide.get(15, TimeUnit.SECONDS);
        }
        boolean ok = clientError == null && serverError == null;
        if (!ok) failures++;
        return j.put("serverAlias", recording.chosen).put("ok", ok).put("clientError", clientError).put("serverError", serverError).toString();
    }

    /** Jetty's AliasedX509ExtendedKeyManager, server side. */
    static final class Aliased extends Delegating {
        private final String alias;

        Aliased(X509ExtendedKeyManager delegate, String alias) {
            super(delegate);
            this.alias = alias;
        }

        private String pick(String keyType, Principal[] issuers) {
            String[] aliases = delegate.getServerAliases(keyType, issuers);
            if (aliases != null) for (String a : aliases) if (alias.equals(a)) return alias;
            return null;
        }

        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return pick(keyType, issuers); }
        @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return pick(keyType, issuers); }
    }

    /** Jetty's SniX509ExtendedKeyManager with SslContextFactory.Server.sniSelect (SNI not required). */
    static final class Sni extends Delegating {
        private final Map<String, JettyX509> certs;

        Sni(X509ExtendedKeyManager delegate, Map<String, JettyX509> certs) {
            super(delegate);
            this.certs = certs;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String[] aliases = delegate.getServerAliases(keyType, issuers);
            if (aliases == null || aliases.length == 0) return null;
            String host = null;
            if (socket instanceof SSLSocket) {
                SSLSession hs = ((SSLSocket) socket).getHandshakeSession();
                if (hs instanceof ExtendedSSLSession) {
                    for (SNIServerName n : ((ExtendedSSLSession) hs).getRequestedServerNames()) {
                        if (n instanceof SNIHostName) host = ((SNIHostName) n).getAsciiName();
                    }
                }
            }
            if (host == null) return delegate.chooseServerAlias(keyType, issuers, socket);
            List<JettyX509> matching = new ArrayList<>();
            for (String a : aliases) {
                JettyX509 x = certs.get(a);
                if (x != null && x.matches(host)) matching.add(x);
            }
            if (matching.isEmpty()) {
                final String h = host;
                boolean anyMatching = certs.values().stream().anyMatch(x -> x.matches(h));
                return anyMatching ? null : delegate.chooseServerAlias(keyType, issuers, socket);
            }
            JettyX509 best = matching.get(0);
            for (JettyX509 x : matching) if (x.wilds.size() < best.wilds.size()) best = x; // strict over wildcard
            return best.alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            throw new UnsupportedOperationException("this model serves SSLSockets only");
        }
    }

    /** Records the alias the server side finally chose. */
    static final class Recording extends Delegating {
        volatile String chosen;

        Recording(X509ExtendedKeyManager delegate) { super(delegate); }

        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String a = delegate.chooseServerAlias(keyType, issuers, socket);
            if (a != null) chosen = a;
            return a;
        }
        @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            String a = delegate.chooseEngineServerAlias(keyType, issuers, engine);
            if (a != null) chosen = a;
            return a;
        }
        @Override public X509Certificate[] getCertificateChain(String alias) {
            chosen = alias;
            return delegate.getCertificateChain(alias);
        }
    }

    abstract static class Delegating extends X509ExtendedKeyManager {
        final X509ExtendedKeyManager delegate;

        Delegating(X509ExtendedKeyManager delegate) { this.delegate = delegate; }

        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return delegate.chooseClientAlias(keyType, issuers, socket); }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return delegate.chooseEngineClientAlias(keyType, issuers, engine); }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return delegate.chooseServerAlias(keyType, issuers, socket); }
        @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return delegate.chooseEngineServerAlias(keyType, issuers, engine); }
        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return delegate.getClientAliases(keyType, issuers); }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return delegate.getServerAliases(keyType, issuers); }
        @Override public X509Certificate[] getCertificateChain(String alias) { return delegate.getCertificateChain(alias); }
        @Override public PrivateKey getPrivateKey(String alias) { return delegate.getPrivateKey(alias); }
    }

    /** Jetty's X509: host names (DNS SANs, else the CN) and wildcard domains of one alias's certificate. */
    static final class JettyX509 {
        final String alias;
        final Set<String> hosts = new LinkedHashSet<>();
        final Set<String> wilds = new LinkedHashSet<>();

        JettyX509(String alias, X509Certificate cert) throws Exception {
            this.alias = alias;
            List<String> names = dnsNames(cert);
            if (names.isEmpty()) {
                for (String rdn : cert.getSubjectX500Principal().getName().split(",")) if (rdn.startsWith("CN=")) names.add(rdn.substring(3));
            }
            for (String n : names) {
                String name = n.toLowerCase(Locale.ENGLISH);
                if (name.startsWith("*.")) wilds.add(name.substring(2)); else hosts.add(name);
            }
        }

        boolean matches(String host) {
            String h = host.toLowerCase(Locale.ENGLISH);
            if (hosts.contains(h)) return true;
            int dot = h.indexOf('.');
            return dot >= 0 && wilds.contains(h.substring(dot + 1));
        }
    }

    static Map<String, JettyX509> jettyAliasCerts(KeyStore ks) throws Exception {
        Map<String, JettyX509> out = new LinkedHashMap<>();
        for (String alias : Collections.list(ks.aliases())) {
            Certificate c = ks.getCertificate(alias);
            if (!(c instanceof X509Certificate)) continue;
            boolean[] ku = ((X509Certificate) c).getKeyUsage();
            if (ku != null && ku.length > 5 && ku[5]) continue; // X509.isCertSign: keyCertSign
            out.put(alias, new JettyX509(alias, (X509Certificate) c));
        }
        return out;
    }

    /** SslContextFactory.Server.getKeyManagers' condition for the SNI layer (SNI not required). */
    static boolean jettyWantsSni(Map<String, JettyX509> certs) {
        Set<String> hosts = new LinkedHashSet<>();
        boolean wild = false;
        for (JettyX509 x : certs.values()) {
            hosts.addAll(x.hosts);
            wild |= !x.wilds.isEmpty();
        }
        return wild || hosts.size() > 1 || (hosts.size() == 1 && certs.size() > 1);
    }

    // ---- helpers ----------------------------------------------------------------------------

    static List<String> dnsNames(X509Certificate cert) throws Exception {
        List<String> out = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) for (List<?> san : sans) if (Integer.valueOf(2).equals(san.get(0))) out.add((String) san.get(1));
        return out;
    }

    static KeyStore load(String file, String type, String passwordVariable) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(file)) {
            ks.load(in, password(passwordVariable));
        }
        return ks;
    }

    static char[] password(String variable) {
        String value = System.getenv(variable);
        if (value == null) usage("environment variable " + variable + " is not set");
        return value.toCharArray();
    }

    static Map<String, String> options(List<String> tokens) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq <= 0) usage("expected key=value, got " + t);
            o.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return o;
    }

    static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) usage("missing " + key + "=");
        return v;
    }

    static void usage(String why) {
        System.err.println("usage error: " + why + " (see the comment at the top of TlsAlias.java)");
        System.exit(2);
    }

    /** A flat JSON object writer. */
    static final class Json {
        private final StringBuilder b = new StringBuilder("{");

        Json put(String k, Object v) {
            return raw(k, v == null ? "null" : v instanceof Boolean ? v.toString() : quote(v.toString()));
        }

        Json raw(String k, String json) {
            if (b.length() > 1) b.append(',');
            b.append(quote(k)).append(':').append(json);
            return this;
        }

        static String array(Collection<String> items) {
            List<String> q = new ArrayList<>();
            for (String s : items) q.add(quote(s));
            return "[" + String.join(",", q) + "]";
        }

        static String quote(String s) {
            StringBuilder q = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') q.append('\\').append(c);
                else if (c < 0x20) q.append(String.format("\\u%04x", (int) c));
                else q.append(c);
            }
            return q.append('"').toString();
        }

        @Override public String toString() { return b + "}"; }
    }
}
