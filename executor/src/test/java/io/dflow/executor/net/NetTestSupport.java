package io.dflow.executor.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small helpers shared by the transport tests. */
final class NetTestSupport {
  static final byte[] SECRET = "test secret of the dflow run 0001".getBytes(StandardCharsets.US_ASCII);
  static final byte[] OTHER_SECRET = "a different secret, not the run's".getBytes(StandardCharsets.US_ASCII);

  private NetTestSupport() {}

  /** Small frames and chunks so that multi-chunk fetches stay cheap. */
  static TransportConf conf(byte[] secret, long handshakeTimeoutMillis) {
    return new TransportConf(secret, 64 * 1024, 16 * 1024, handshakeTimeoutMillis);
  }

  static TransportConf conf() {
    return conf(SECRET, 5_000);
  }

  /** A handler that records what it is given. */
  static final class RecordingHandler implements MessageHandler {
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final List<Connection> closed = new CopyOnWriteArrayList<>();

    @Override
    public void onControl(Connection from, byte[] body) {
      received.add(body);
    }

    @Override
    public void onClose(Connection connection) {
      closed.add(connection);
    }
  }

  /** A raw socket that has done the client side of the handshake by hand. */
  static Socket rawAuthenticatedSocket(int port, byte[] secret) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    byte[] serverNonce = readFully(socket, Handshake.NONCE_BYTES);
    byte[] clientNonce = Handshake.newNonce();
    OutputStream out = socket.getOutputStream();
    out.write(clientNonce);
    out.write(Handshake.clientProof(secret, serverNonce, clientNonce));
    out.flush();
    byte[] serverProof = readFully(socket, Handshake.PROOF_BYTES);
    if (!Arrays.equals(serverProof, Handshake.serverProof(secret, clientNonce, serverNonce))) {
      throw new IOException("server proof did not match");
    }
    return socket;
  }

  /** Does the server side of the handshake by hand on an accepted raw socket. */
  static void rawServerHandshake(Socket socket, byte[] secret) throws IOException {
    byte[] serverNonce = Handshake.newNonce();
    socket.getOutputStream().write(serverNonce);
    byte[] answer = readFully(socket, Handshake.NONCE_BYTES + Handshake.PROOF_BYTES);
    byte[] clientNonce = Arrays.copyOfRange(answer, 0, Handshake.NONCE_BYTES);
    socket.getOutputStream().write(Handshake.serverProof(secret, clientNonce, serverNonce));
    socket.getOutputStream().flush();
  }

  /** Reads exactly n bytes. */
  static byte[] readFully(Socket socket, int n) throws IOException {
    byte[] bytes = new byte[n];
    new DataInputStream(socket.getInputStream()).readFully(bytes);
    return bytes;
  }

  /**
   * Waits until the peer closes the socket (EOF or reset); fails with SocketTimeoutException
   * if it is still open after the socket's read timeout. Returns how many bytes it skipped.
   */
  static long awaitClosedByPeer(Socket socket, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    long skipped = 0;
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        skipped += n;
      }
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      // connection reset: the peer closed with our bytes unread, which counts as closed
    }
    return skipped;
  }
}
