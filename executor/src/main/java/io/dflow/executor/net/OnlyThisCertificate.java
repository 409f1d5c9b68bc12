package io.dflow.executor.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one certificate, the application's: a peer must present that very certificate
 * (byte for byte) as its only or first one. No certificate authority, no host name check: a
 * peer is this application's if it holds the application's private key, which TLS proves.
 *
 * <p>Threading: immutable, called by the JDK's TLS engine on any thread.
 */
final class OnlyThisCertificate extends X509ExtendedTrustManager {
  private final X509Certificate trusted;

  OnlyThisCertificate(X509Certificate trusted) {
    this.trusted = trusted;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer presented no certificate");
    }
    if (!chain[0].equals(trusted)) {
      throw new CertificateException("the peer's certificate (SHA-256 " + TlsIdentity.fingerprint(chain[0])
          + ") is not this application's");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {trusted};
  }
}
