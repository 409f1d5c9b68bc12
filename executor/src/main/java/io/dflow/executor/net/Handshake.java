package io.dflow.executor.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of the mutual HMAC-SHA256 handshake:
 * <pre>
 * server → client  serverNonce (32 bytes)
 * client → server  clientNonce (32 bytes) || HMAC(secret, "dflow-client" || serverNonce || clientNonce)
 * server → client  HMAC(secret, "dflow-server" || clientNonce || serverNonce)
 * </pre>
 * Distinct labels keep one side's proof from being replayed as the other's; fresh nonces from
 * both sides keep a recorded exchange from being replayed at all.
 */
final class Handshake {
  static final int NONCE_BYTES = 32;
  static final int PROOF_BYTES = 32;

  private static final byte[] CLIENT_LABEL = "dflow-client".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_LABEL = "dflow-server".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshake() {}

  static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** What the client sends to prove it holds the secret. */
  static byte[] clientProof(byte[] secret, byte[] serverNonce, byte[] clientNonce) {
    return hmac(secret, CLIENT_LABEL, serverNonce, clientNonce);
  }

  /** What the server sends to prove it holds the secret. */
  static byte[] serverProof(byte[] secret, byte[] clientNonce, byte[] serverNonce) {
    return hmac(secret, SERVER_LABEL, clientNonce, serverNonce);
  }

  /** Constant-time comparison. */
  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] hmac(byte[] secret, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
