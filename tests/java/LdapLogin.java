import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapName;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

// What Druid does with a Basic login when its chain reaches the LDAP authenticator, from the
// RENDERED properties only (common.runtime.properties as the component writes it), with the JDK's
// JNDI LDAP provider and TLS, as Druid does. Modelled on apache/druid extensions-core/druid-basic-security
// (stored revision; the druid-37.0.0 tag is not readable here):
//   - LDAPCredentialsValidator.commonProperties: LdapCtxFactory, PROVIDER_URL = url, simple
//     authentication; for ldaps:// SECURITY_PROTOCOL "ssl" and java.naming.ldap.factory.socket =
//     BasicSecuritySSLSocketFactory (here LdapLogin$Factory);
//   - BasicSecuritySSLSocketFactory → TLSUtils.createSSLContext: KeyStore.getInstance(trustStoreType)
//     .load(trustStorePath, trustStorePassword), TrustManagerFactory default algorithm, protocol
//     (default TLSv1.2); the JDK's LDAP connection verifies the host name of an SSLSocket
//     (endpoint identification "LDAPS");
//   - validateCredentials: bind as bindUser with bindPassword (PasswordProvider: here the
//     environment provider, System.getenv), search baseDn SUBTREE with
//     format(userSearch, encodeForLDAP(user, true)) returning {userAttribute, "memberOf"}; no
//     entry → null ("User not found"); else bind as the entry's DN with the password: an
//     AuthenticationException → BasicSecurityAuthenticationException (401);
//   - LDAPRoleProvider.getRoles: the entry's memberOf (ldapGroupAttribute default) as LdapNames,
//     kept when they match roleProvider.groupFilters (if set), then each group mapping's
//     groupPattern: "*,<dn>" → group.startsWith(dn), "<dn>,*" → group.endsWith(dn), else equals.
//
// Usage: java LdapLogin.java <common.runtime.properties> <pod-root> <user> <password> ["<groupPattern> -> role1+role2" ...]
// <pod-root> is prefixed to the rendered trustStorePath (the pod's file system laid out in a directory).
// Prints one line: OK roles=[...] groups=[...] | NOT_FOUND | WRONG_PASSWORD | ERROR <message>.
public class LdapLogin {
    static SSLContext context;

    /** Stands for BasicSecuritySSLSocketFactory: JNDI instantiates it through getDefault(). */
    public static class Factory extends SSLSocketFactory {
        private final SSLSocketFactory sf = context.getSocketFactory();
        public static SocketFactory getDefault() { return new Factory(); }
        @Override public String[] getDefaultCipherSuites() { return sf.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return sf.getSupportedCipherSuites(); }
        @Override public Socket createSocket(Socket s, String h, int p, boolean a) throws java.io.IOException { return sf.createSocket(s, h, p, a); }
        @Override public Socket createSocket() throws java.io.IOException { return sf.createSocket(); }
        @Override public Socket createSocket(String h, int p) throws java.io.IOException { return sf.createSocket(h, p); }
        @Override public Socket createSocket(String h, int p, InetAddress l, int lp) throws java.io.IOException { return sf.createSocket(h, p, l, lp); }
        @Override public Socket createSocket(InetAddress h, int p) throws java.io.IOException { return sf.createSocket(h, p); }
        @Override public Socket createSocket(InetAddress h, int p, InetAddress l, int lp) throws java.io.IOException { return sf.createSocket(h, p, l, lp); }
    }

    static String env(String passwordProviderJson) {
        Matcher m = Pattern.compile("\"variable\"\\s*:\\s*\"([^\"]+)\"").matcher(passwordProviderJson);
        if (!passwordProviderJson.contains("\"environment\"") || !m.find()) throw new IllegalArgumentException("not an environment password provider: " + passwordProviderJson);
        String v = System.getenv(m.group(1));
        if (v == null) throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set");
        return v;
    }

    /** LDAPCredentialsValidator.encodeForLDAP(input, true). */
    static String encodeForLDAP(String input) {
        StringBuilder sb = new StringBuilder();
        for (char c : input.toCharArray()) {
            switch (c) {
                case '\\': sb.append("\\5c"); break;
                case '/': sb.append("\\2f"); break;
                case '*': sb.append("\\2a"); break;
                case '(': sb.append("\\28"); break;
                case ')': sb.append("\\29"); break;
                case '\0': sb.append("\\00"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    static boolean matches(LdapName group, String mask) throws Exception {
        if (mask.startsWith("*,")) return group.startsWith(new LdapName(mask.substring(2)));
        if (mask.endsWith(",*")) return group.endsWith(new LdapName(mask.substring(0, mask.length() - 2)));
        return group.equals(new LdapName(mask));
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(args[0])) { p.load(in); }
        String root = args[1], user = args[2], password = args[3];
        String v = "druid.auth.authenticator.LdapAuthenticator.credentialsValidator.";
        if (!"ldap".equals(p.getProperty(v + "type"))) throw new IllegalStateException("no LDAP validator rendered");
        String url = p.getProperty(v + "url");

        Properties common = new Properties();
        common.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        common.put(Context.PROVIDER_URL, url);
        common.put(Context.SECURITY_AUTHENTICATION, "simple");
        if (url.toLowerCase().startsWith("ldaps://")) {
            String s = "druid.auth.basic.ssl.";
            KeyStore trust = KeyStore.getInstance(p.getProperty(s + "trustStoreType", KeyStore.getDefaultType()));
            try (InputStream in = Files.newInputStream(Paths.get(root + p.getProperty(s + "trustStorePath")))) {
                String pw = p.getProperty(s + "trustStorePassword");
                trust.load(in, pw == null ? null : env(pw).toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            context = SSLContext.getInstance(p.getProperty(s + "protocol", "TLSv1.2"));
            context.init(null, tmf.getTrustManagers(), null);
            common.put(Context.SECURITY_PROTOCOL, "ssl");
            common.put("java.naming.ldap.factory.socket", Factory.class.getName());
        }
        // As validateCredentials does: the context class loader is this class's, so that JNDI finds the socket factory.
        Thread.currentThread().setContextClassLoader(LdapLogin.class.getClassLoader());
        try {
            Properties bind = new Properties();
            bind.putAll(common);
            bind.put(Context.SECURITY_PRINCIPAL, p.getProperty(v + "bindUser"));
            bind.put(Context.SECURITY_CREDENTIALS, env(p.getProperty(v + "bindPassword")));
            InitialDirContext dir = new InitialDirContext(bind);
            SearchResult entry;
            try {
                SearchControls sc = new SearchControls();
                sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
                sc.setReturningAttributes(new String[] {p.getProperty(v + "userAttribute"), "memberOf"});
                NamingEnumeration<SearchResult> results = dir.search(p.getProperty(v + "baseDn"),
                    String.format(p.getProperty(v + "userSearch"), encodeForLDAP(user)), sc);
                entry = results.hasMore() ? results.next() : null;
                results.close();
            } finally {
                dir.close();
            }
            if (entry == null) { System.out.println("NOT_FOUND"); return; }
            Properties login = new Properties();
            login.putAll(common);
            login.put(Context.SECURITY_PRINCIPAL, new LdapName(entry.getNameInNamespace()).toString());
            login.put(Context.SECURITY_CREDENTIALS, password);
            try {
                new InitialDirContext(login).close();
            } catch (AuthenticationException e) {
                System.out.println("WRONG_PASSWORD");
                return;
            }
            // LDAPRoleProvider.getGroupsFromLdap and getRoles.
            String filtersJson = p.getProperty("druid.auth.authorizer.LdapAuthorizer.roleProvider.groupFilters");
            List<String> filters = new ArrayList<>();
            if (filtersJson != null) { Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(filtersJson); while (m.find()) filters.add(m.group(1)); }
            Set<String> groups = new TreeSet<>();
            Set<String> roles = new TreeSet<>();
            Attribute memberOf = entry.getAttributes().get("memberOf");
            for (int i = 0; memberOf != null && i < memberOf.size(); i++) {
                LdapName group = new LdapName(memberOf.get(i).toString());
                boolean allowed = filters.isEmpty();
                for (String f : filters) allowed |= matches(group, f);
                if (!allowed) continue;
                groups.add(group.toString());
                for (int a = 4; a < args.length; a++) {
                    String[] mapping = args[a].split(" -> ");
                    if (matches(group, mapping[0])) for (String r : mapping[1].split("\\+")) roles.add(r);
                }
            }
            System.out.println("OK roles=" + roles + " groups=" + groups);
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
    }
}
