package io.dflow.executor.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;

/**
 * An application's TLS key pair and self-signed certificate (EC P-256, ECDSA with SHA-256), made
 * by the driver when the application starts and handed to every process of the application by
 * the same private route as its secret. Both ends of a connection present this certificate and
 * trust it alone ({@link OnlyThisKey}, {@link OnlyThisCertificate}), over TLS 1.3 only.
 *
 * <p>Made with the JDK alone: the certificate is a short DER structure signed here. Its
 * {@link #encode() encoding} is the private key (PKCS #8) and the certificate, length-prefixed.
 *
 * <p>The TLS engine is OpenSSL's (BoringSSL, from {@code netty-tcnative-boringssl-static}) where
 * its native library loads, and the JDK's otherwise: both speak the same TLS 1.3, so processes
 * with either talk to each other. BoringSSL's AES-GCM takes a fraction of the CPU the JDK's engine
 * does per byte, and every shuffle byte of an encrypted run goes through it twice.
 *
 * <p>Threading: immutable, with the Netty contexts of both ends built with it.
 */
public final class TlsIdentity {
  /** The only protocol spoken. */
  static final String PROTOCOL = "TLSv1.3";
  /**
   * The JDK engine's TLS 1.3 suites, fastest first: AES-128-GCM does 10 AES rounds per block where
   * AES-256 does 14, for a key as strong as a per-application secret that lives for one run needs.
   */
  static final java.util.List<String> JDK_CIPHERS = java.util.List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int[] ECDSA_WITH_SHA256 = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
  private static final int[] COMMON_NAME = {0x55, 0x04, 0x03};
  private static final int VALID_YEARS = 10;

  private final PrivateKey key;
  private final X509Certificate certificate;
  /** Accepting side: requires the client's certificate. */
  private final SslContext server;
  /** Connecting side: presents the certificate too. */
  private final SslContext client;

  private final SslProvider provider;

  private TlsIdentity(PrivateKey key, X509Certificate certificate, SslProvider provider) {
    this.key = key;
    this.certificate = certificate;
    this.provider = provider;
    OnlyThisKey keys = new OnlyThisKey(key, certificate);
    this.server = build(SslContextBuilder.forServer(keys).clientAuth(ClientAuth.REQUIRE));
    this.client = build(SslContextBuilder.forClient().keyManager(keys));
  }

  private TlsIdentity(PrivateKey key, X509Certificate certificate) {
    this(key, certificate, defaultProvider());
  }

  /** OpenSSL's engine when its native library loads here and speaks TLS 1.3, else the JDK's. */
  static SslProvider defaultProvider() {
    return OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** The same key and certificate with the TLS engine of {@code engine}. */
  TlsIdentity withProvider(SslProvider engine) {
    return new TlsIdentity(key, certificate, engine);
  }

  /** The TLS engine in use: {@code OPENSSL} or {@code JDK}. */
  public String engine() {
    return provider.name();
  }

  /** A fresh key pair and a certificate for it, valid from yesterday for ten years. */
  public static TlsIdentity generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair pair = generator.generateKeyPair();
      byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
      byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String("dflow application"))));
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      byte[] tbs = Der.sequence(
          Der.explicit(0, Der.integer(BigInteger.TWO)), // version 3
          Der.integer(new BigInteger(96, RANDOM).setBit(95)),
          algorithm, name,
          Der.sequence(Der.time(now.minusDays(1)), Der.time(now.plusYears(VALID_YEARS))),
          name, pair.getPublic().getEncoded());
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
      return new TlsIdentity(pair.getPrivate(), parseCertificate(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make an EC P-256 key and certificate", e);
    }
  }

  /** The key and certificate {@link #encode} wrote; fails with a clear message on anything else. */
  public static TlsIdentity decode(byte[] encoded) {
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      int keyLength = in.getInt();
      if (keyLength <= 0 || keyLength > in.remaining()) {
        throw new IllegalArgumentException("bad key length " + keyLength);
      }
      byte[] pkcs8 = new byte[keyLength];
      in.get(pkcs8);
      byte[] der = new byte[in.remaining()];
      in.get(der);
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return new TlsIdentity(key, parseCertificate(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the application's TLS key material is unreadable: " + e.getMessage(), e);
    }
  }

  /** The private key and the certificate, for {@link #decode}; as secret as the key itself. */
  public byte[] encode() {
    byte[] pkcs8 = key.getEncoded();
    byte[] der = der();
    return ByteBuffer.allocate(4 + pkcs8.length + der.length).putInt(pkcs8.length).put(pkcs8).put(der).array();
  }

  /** The certificate every process of the application presents and trusts. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's SHA-256 fingerprint in hex, for log lines. */
  public String fingerprint() {
    return fingerprint(certificate);
  }

  static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /** A TLS handler for one connection; its handshake must end within {@code handshakeTimeoutMillis}. */
  io.netty.handler.ssl.SslHandler handler(boolean accepting, io.netty.buffer.ByteBufAllocator alloc,
      long handshakeTimeoutMillis) {
    io.netty.handler.ssl.SslHandler handler = (accepting ? server : client).newHandler(alloc);
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return handler;
  }

  private SslContext build(SslContextBuilder builder) {
    try {
      builder.trustManager(new OnlyThisCertificate(certificate)).protocols(PROTOCOL).sslProvider(provider);
      if (provider == SslProvider.JDK) {
        builder.ciphers(JDK_CIPHERS); // BoringSSL picks AES-128-GCM itself where the CPU has AES instructions
      }
      return builder.build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException("cannot set up TLS with the application's certificate: " + e.getMessage(), e);
    }
  }

  private byte[] der() {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the application's certificate", e);
    }
  }

  private static X509Certificate parseCertificate(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  /** Same certificate, so same key. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TlsIdentity t && certificate.equals(t.certificate);
  }

  @Override
  public int hashCode() {
    return certificate.hashCode();
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "TlsIdentity[certificate " + fingerprint() + ", engine " + engine() + "]";
  }
}
