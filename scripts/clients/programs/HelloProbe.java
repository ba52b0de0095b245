// Opens one TLS connection with the JDK's default SSLContext, as an application using
// SSLSocket or HttpsURLConnection would: the recorder keeps the ClientHello it sends.
// The server name is set explicitly because the JDK sends no SNI for a dotless host name
// and the recorder connects to 127.0.0.1.
//   java HelloProbe.java <server name> <port>
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

public class HelloProbe {
  public static void main(String[] args) throws Exception {
    SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket();
    SSLParameters params = socket.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(args[0])));
    socket.setSSLParameters(params);
    socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 10_000);
    try {
      socket.startHandshake();
    } catch (javax.net.ssl.SSLException expected) {
      // The recorder refuses every handshake once it has the hello.
    } finally {
      socket.close();
    }
  }
}
