package io.dflow.driver.mpi;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The program {@code mpirun} runs in place of ssh ({@code plm_rsh_agent}) for a gang whose ranks
 * are on other hosts: {@code DaemonAgent <port> <gang> <host> <command…>} hands the command (the
 * Open MPI daemon's) to the driver's {@link DaemonRelay} on this machine's loopback, proving the
 * gang's launch token from {@value #TOKEN_ENV} (which {@code mpirun} passes on from its own
 * environment), and the driver has the executor on {@code host} start it. It then writes what the
 * daemon prints and exits with the daemon's exit code, as ssh would; when {@code mpirun} kills it,
 * the relay sees its connection close and has the daemon stopped.
 *
 * <p>Only the JDK's own classes are used, so that it starts fast.
 */
public final class DaemonAgent {
  /** The environment variable holding the gang's launch token. */
  public static final String TOKEN_ENV = "DFLOW_MPI_AGENT_TOKEN";
  static final byte STDOUT = 'O';
  static final byte STDERR = 'E';
  static final byte EXIT = 'X';
  /** The exit code when the driver could not be reached or went away (ssh's own). */
  static final int CONNECTION_LOST = 255;

  private DaemonAgent() {}

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("dflow MPI launch agent: usage: DaemonAgent <port> <gang> <host> <command...>"
          + " (it is started by mpirun for a dflow driver)");
      System.exit(2);
    }
    String token = System.getenv(TOKEN_ENV);
    if (token == null) {
      System.err.println("dflow MPI launch agent: " + TOKEN_ENV + " is not set (it is started by mpirun for a dflow driver)");
      System.exit(2);
    }
    System.exit(run(Integer.parseInt(args[0]), args[1], token, args[2],
        java.util.Arrays.asList(args).subList(3, args.length)));
  }

  private static int run(int port, String gang, String token, String host, java.util.List<String> command) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeUTF(gang);
      out.writeUTF(token);
      out.writeUTF(host);
      out.writeInt(command.size());
      for (String word : command) {
        out.writeUTF(word);
      }
      out.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      while (true) {
        byte kind = in.readByte();
        if (kind == EXIT) {
          int code = in.readInt();
          String why = in.readUTF();
          if (!why.isEmpty()) {
            System.err.println("dflow: " + why);
          }
          System.out.flush();
          return code;
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        OutputStream to = kind == STDERR ? System.err : System.out;
        to.write(bytes);
        to.flush();
      }
    } catch (EOFException e) {
      System.err.println("dflow: the driver ended the launch of the Open MPI daemon on " + host);
      return CONNECTION_LOST;
    } catch (IOException e) {
      System.err.println("dflow: cannot reach the driver's launch relay on port " + port + ": " + e.getMessage());
      return CONNECTION_LOST;
    }
  }
}
