package dev.roundtrip.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TestCertificates is the TLS key material of the tests, generated at test time in memory (EC
 * P-256 keys, SHA256withECDSA, valid from one day ago to one day ahead) once per JVM; nothing is
 * written to disk and no private key is committed. BouncyCastle (test scope only) builds the
 * certificates; the JDK's own providers do the cryptography, so no provider is installed.
 *
 * <ul>
 *   <li>a CA ({@code CN=roundtrip test CA}), self-signed;
 *   <li>a server certificate signed by the CA for the DNS names {@code localhost}, {@code
 *       target.test}, {@code proxy.test} and the IP addresses {@code 127.0.0.1} and {@code ::1};
 *   <li>a server certificate signed by the CA for {@code wrong.test} only (hostname mismatch);
 *   <li>a self-signed server certificate for {@code localhost} and {@code 127.0.0.1} that the CA
 *       did not sign (untrusted);
 *   <li>a client certificate signed by the CA ({@code CN=roundtrip test client}), for mutual TLS.
 * </ul>
 *
 * <p>Each context method returns a new, initialized {@code SSLContext} (protocol {@code TLS}, so
 * TLS 1.2 and 1.3) over the cached material: contexts do not share session caches, so a test of
 * session resumption starts cold. Test names resolve nowhere: map them to loopback with the
 * client's resolver or the proxy's.
 */
public final class TestCertificates {
    /** The names the main server certificate holds as DNS subject alternative names. */
    private static final String[] SERVER_DNS_NAMES = {"localhost", "target.test", "proxy.test"};
    /** Protects the in-memory key stores only; they are never written anywhere. */
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private TestCertificates() {}

    /**
     * ServerContext returns a server context presenting the CA-signed certificate for {@code
     * localhost}, {@code target.test}, {@code proxy.test}, {@code 127.0.0.1} and {@code ::1}.
     *
     * @return a new initialized context
     */
    public static SSLContext serverContext() {
        Material m = Material.INSTANCE;
        return context(keyManagers(m.serverKeys, m.server, m.ca), null);
    }

    /**
     * WrongHostServerContext returns a server context presenting a CA-signed certificate for
     * {@code wrong.test} only: trusted, but not valid for any name a test connects to.
     *
     * @return a new initialized context
     */
    public static SSLContext wrongHostServerContext() {
        Material m = Material.INSTANCE;
        return context(keyManagers(m.wrongHostKeys, m.wrongHost, m.ca), null);
    }

    /**
     * UntrustedServerContext returns a server context presenting a self-signed certificate for
     * {@code localhost} and {@code 127.0.0.1} that the CA did not sign.
     *
     * @return a new initialized context
     */
    public static SSLContext untrustedServerContext() {
        Material m = Material.INSTANCE;
        return context(keyManagers(m.untrustedKeys, m.untrusted), null);
    }

    /**
     * ClientTrustingCa returns a client context that trusts only the test CA and presents no
     * certificate.
     *
     * @return a new initialized context
     */
    public static SSLContext clientTrustingCa() {
        return context(null, new TrustManager[] {caTrustManager()});
    }

    /**
     * ServerContextRequiringClientCert returns a server context like {@link #serverContext()}
     * whose server sockets and engines need a client certificate signed by the CA. Servers that
     * configure their engines themselves (Jetty's {@code SslContextFactory}) must also be told
     * to need client authentication.
     *
     * @return a new initialized context
     */
    public static SSLContext serverContextRequiringClientCert() {
        Material m = Material.INSTANCE;
        return new NeedClientAuthContext(context(keyManagers(m.serverKeys, m.server, m.ca),
                new TrustManager[] {caTrustManager()}));
    }

    /**
     * ClientContextWithClientCert returns a client context that trusts only the test CA and
     * presents the CA-signed client certificate when asked.
     *
     * @return a new initialized context
     */
    public static SSLContext clientContextWithClientCert() {
        Material m = Material.INSTANCE;
        return context(keyManagers(m.clientKeys, m.client, m.ca),
                new TrustManager[] {caTrustManager()});
    }

    /**
     * CaTrustManager returns a trust manager that trusts only the test CA, for APIs that take
     * trust material instead of a context.
     *
     * @return a new trust manager
     */
    public static X509TrustManager caTrustManager() {
        try {
            KeyStore ks = emptyKeyStore();
            ks.setCertificateEntry("ca", Material.INSTANCE.ca);
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CA trust manager", e);
        }
    }

    /**
     * CaCertificate returns the test CA's self-signed certificate.
     *
     * @return the certificate (the same instance on every call)
     */
    public static X509Certificate caCertificate() {
        return Material.INSTANCE.ca;
    }

    /**
     * ServerCertificate returns the certificate that {@link #serverContext()} presents.
     *
     * @return the certificate (the same instance on every call)
     */
    public static X509Certificate serverCertificate() {
        return Material.INSTANCE.server;
    }

    /**
     * ClientCertificate returns the certificate that {@link #clientContextWithClientCert()}
     * presents.
     *
     * @return the certificate (the same instance on every call)
     */
    public static X509Certificate clientCertificate() {
        return Material.INSTANCE.client;
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a test SSLContext", e);
        }
    }

    private static KeyManager[] keyManagers(KeyPair keys, X509Certificate... chain) {
        try {
            KeyStore ks = emptyKeyStore();
            ks.setKeyEntry("key", keys.getPrivate(), IN_MEMORY_PASSWORD, chain);
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, IN_MEMORY_PASSWORD);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build test key managers", e);
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot initialize an empty key store", e);
        }
        return ks;
    }

    /** Material is generated on first use, once per JVM (the holder idiom). */
    private static final class Material {
        static final Material INSTANCE = new Material();

        final KeyPair caKeys = newKeyPair();
        final X509Certificate ca;
        final KeyPair serverKeys = newKeyPair();
        final X509Certificate server;
        final KeyPair wrongHostKeys = newKeyPair();
        final X509Certificate wrongHost;
        final KeyPair untrustedKeys = newKeyPair();
        final X509Certificate untrusted;
        final KeyPair clientKeys = newKeyPair();
        final X509Certificate client;

        private Material() {
            X500Name caName = new X500Name("CN=roundtrip test CA");
            ca = certificate(caName, caKeys.getPublic(), caName, caKeys, true, null);
            GeneralName[] serverNames = new GeneralName[SERVER_DNS_NAMES.length + 2];
            for (int i = 0; i < SERVER_DNS_NAMES.length; i++) {
                serverNames[i] = new GeneralName(GeneralName.dNSName, SERVER_DNS_NAMES[i]);
            }
            serverNames[SERVER_DNS_NAMES.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
            serverNames[SERVER_DNS_NAMES.length + 1] = new GeneralName(GeneralName.iPAddress, "::1");
            server = certificate(new X500Name("CN=localhost"), serverKeys.getPublic(), caName, caKeys,
                    false, KeyPurposeId.id_kp_serverAuth, serverNames);
            wrongHost = certificate(new X500Name("CN=wrong.test"), wrongHostKeys.getPublic(), caName,
                    caKeys, false, KeyPurposeId.id_kp_serverAuth,
                    new GeneralName(GeneralName.dNSName, "wrong.test"));
            X500Name untrustedName = new X500Name("CN=localhost, O=untrusted");
            untrusted = certificate(untrustedName, untrustedKeys.getPublic(), untrustedName,
                    untrustedKeys, false, KeyPurposeId.id_kp_serverAuth,
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            client = certificate(new X500Name("CN=roundtrip test client"), clientKeys.getPublic(),
                    caName, caKeys, false, KeyPurposeId.id_kp_clientAuth);
        }

        private static KeyPair newKeyPair() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
            }
        }

        /**
         * Returns a certificate for {@code subjectKey} signed with {@code issuerKeys}: a CA
         * (basic constraints CA, key usage certificate and CRL signing) or an end entity (key
         * usage digital signature, the given extended key usage, the given alternative names).
         */
        private static X509Certificate certificate(X500Name subject, PublicKey subjectKey,
                X500Name issuer, KeyPair issuerKeys, boolean isCa, KeyPurposeId purpose,
                GeneralName... altNames) {
            try {
                Instant now = Instant.now();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                        new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                        subject, subjectKey);
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                        ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
                b.addExtension(Extension.subjectKeyIdentifier, false,
                        new SubjectKeyIdentifier(keyIdentifier(subjectKey)));
                if (!subject.equals(issuer)) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(keyIdentifier(issuerKeys.getPublic())));
                }
                if (purpose != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                }
                if (altNames.length > 0) {
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
                }
                PrivateKey signingKey = issuerKeys.getPrivate();
                return new JcaX509CertificateConverter().getCertificate(
                        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the test certificate " + subject, e);
            }
        }

        /**
         * Returns the key identifier of RFC 5280 §4.2.1.2 method (1): the SHA-1 of the public
         * key's bit string (the JDK's digest; BouncyCastle's helper for it is slow to load).
         */
        private static byte[] keyIdentifier(PublicKey key) throws GeneralSecurityException {
            byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
            return MessageDigest.getInstance("SHA-1").digest(bits);
        }
    }
}
