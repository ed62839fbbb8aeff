package dev.roundtrip.cli;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TestCerts is the TLS material of the command's tests, made in memory once per JVM (a trimmed
 * copy of core's {@code TestCertificates}): a CA ({@code CN=roundtrip cli test CA}), a server
 * certificate it signed for {@code localhost} and {@code 127.0.0.1}, and one it signed for
 * {@code wrong.test} only. Only the CA's certificate is ever written to disk (as PEM, for
 * {@code --cacert}); no private key is.
 */
final class TestCerts {
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private TestCerts() {
    }

    /** Returns a server context presenting the CA-signed certificate for localhost and 127.0.0.1. */
    static SSLContext serverContext() {
        return context(Material.INSTANCE.serverKeys, Material.INSTANCE.server);
    }

    /** Returns a server context presenting a CA-signed certificate for wrong.test only. */
    static SSLContext wrongHostServerContext() {
        return context(Material.INSTANCE.wrongKeys, Material.INSTANCE.wrongHost);
    }

    /** Writes the CA certificate as PEM to {@code file} and returns it. */
    static Path writeCaPem(Path file) throws Exception {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(Material.INSTANCE.ca.getEncoded());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    private static SSLContext context(KeyPair keys, X509Certificate cert) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", keys.getPrivate(), IN_MEMORY_PASSWORD,
                    new X509Certificate[] {cert, Material.INSTANCE.ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, IN_MEMORY_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a test server context", e);
        }
    }

    /** Material is generated on first use (the holder idiom). */
    private static final class Material {
        static final Material INSTANCE = new Material();

        final KeyPair caKeys = newKeyPair();
        final X509Certificate ca;
        final KeyPair serverKeys = newKeyPair();
        final X509Certificate server;
        final KeyPair wrongKeys = newKeyPair();
        final X509Certificate wrongHost;

        private Material() {
            X500Name caName = new X500Name("CN=roundtrip cli test CA");
            ca = certificate(caName, caKeys, caName, caKeys, true);
            server = certificate(new X500Name("CN=localhost"), serverKeys, caName, caKeys, false,
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            wrongHost = certificate(new X500Name("CN=wrong.test"), wrongKeys, caName, caKeys, false,
                    new GeneralName(GeneralName.dNSName, "wrong.test"));
        }

        private static KeyPair newKeyPair() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate an EC key pair", e);
            }
        }

        private static X509Certificate certificate(X500Name subject, KeyPair subjectKeys, X500Name issuer,
                                                   KeyPair issuerKeys, boolean isCa, GeneralName... altNames) {
            try {
                Instant now = Instant.now();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                        new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                        subject, subjectKeys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
                if (!isCa) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }
                if (altNames.length > 0) {
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
                }
                return new JcaX509CertificateConverter().getCertificate(
                        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the test certificate " + subject, e);
            }
        }
    }
}
