package dev.roundtrip.cli;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * WarmUpCertificate is a throwaway identity of the warm-up's in-process TLS servers: an EC P-256
 * or an RSA key pair made when the command runs (nothing is stored anywhere) and a self-signed
 * certificate for {@code localhost} and {@code 127.0.0.1}, valid for one day. It
 * gives the server's context and a client context that trusts exactly this certificate, so a
 * warm-up handshake runs the whole success path (certificate path validation, host name check,
 * Finished, application data).
 *
 * <p>The JDK has no public API to make certificates, so the certificate is written here in DER
 * (X.509 v3, RFC 5280 §4.1): the few structures it needs, signed with SHA256withECDSA or
 * SHA256withRSA.
 */
final class WarmUpCertificate {
    /**
     * The size of an RSA warm-up key: 1024 bits, the smallest the JDK accepts; the code that checks
     * RSA signatures is the same for every size, and a smaller key is made several times faster.
     */
    static final int RSA_BITS = 1024;
    /** The host name and address the certificate is valid for. */
    static final String HOST = "localhost";

    private static final int[] OID_EC_SIGNATURE_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
    private static final int[] OID_RSA_SIGNATURE_SHA256 = {1, 2, 840, 113549, 1, 1, 11};
    private static final int[] OID_COMMON_NAME = {2, 5, 4, 3};
    private static final int[] OID_SUBJECT_ALT_NAME = {2, 5, 29, 17};
    private static final char[] PASSWORD = "warm-up".toCharArray();

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private WarmUpCertificate(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** Makes a new key pair and certificate: EC P-256, or RSA when {@code rsa}. */
    static WarmUpCertificate create(boolean rsa) throws GeneralSecurityException, java.io.IOException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
        g.initialize(rsa ? RSA_BITS : 256);
        KeyPair pair = g.generateKeyPair();
        byte[] name = seq(set(seq(oid(OID_COMMON_NAME), tlv(0x0C, "roundtrip warm-up".getBytes(StandardCharsets.UTF_8)))));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] algorithm = rsa ? seq(oid(OID_RSA_SIGNATURE_SHA256), new byte[] {0x05, 0x00})
                : seq(oid(OID_EC_SIGNATURE_SHA256));
        byte[] altNames = seq(tlv(0x82, HOST.getBytes(StandardCharsets.US_ASCII)),
                tlv(0x87, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getAddress()));
        byte[] extensions = tlv(0xA3, seq(seq(oid(OID_SUBJECT_ALT_NAME), tlv(0x04, altNames))));
        byte[] tbs = seq(tlv(0xA0, integer(BigInteger.TWO)), integer(BigInteger.valueOf(now.toEpochSecond())),
                algorithm, name, seq(time(now.minusMinutes(5)), time(now.plusDays(1))), name,
                pair.getPublic().getEncoded(), extensions);
        Signature s = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(pair.getPrivate());
        s.update(tbs);
        byte[] der = seq(tbs, algorithm, bitString(s.sign()));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("warm-up", pair.getPrivate(), PASSWORD, new X509Certificate[] {cert});
        return new WarmUpCertificate(ks, cert);
    }

    /** Returns the certificate. */
    X509Certificate certificate() {
        return certificate;
    }

    /** Returns a server context presenting this certificate. */
    SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /**
     * Returns a client context of {@code protocol} ("TLS", or "TLSv1.2" for a client that offers
     * TLS 1.2 at most) that trusts this certificate only, through the JDK's default trust manager
     * algorithm (PKIX), as a context built from {@code --cacert} does.
     */
    SSLContext clientContext(String protocol) throws GeneralSecurityException, java.io.IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("warm-up", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    // --- DER (X.690), only what a certificate needs ---

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] bitString(byte[] bits) {
        byte[] v = new byte[bits.length + 1]; // no unused bits
        System.arraycopy(bits, 0, v, 1, bits.length);
        return tlv(0x03, v);
    }

    private static byte[] time(ZonedDateTime t) {
        // UTCTime (RFC 5280 §4.1.2.5.1): dates through 2049
        return tlv(0x17, t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(int[] arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int groups = 1;
            for (int t = v >>> 7; t != 0; t >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                out.write(((v >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }
}
