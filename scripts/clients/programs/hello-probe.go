// Opens one TLS connection with crypto/tls defaults, as tls.Dial does for an application:
// the recorder keeps the ClientHello it sends.
//
//	go run hello-probe.go <server name> <port>
package main

import (
	"crypto/tls"
	"os"
)

func main() {
	conn, err := tls.Dial("tcp", "127.0.0.1:"+os.Args[2], &tls.Config{ServerName: os.Args[1]})
	if err == nil {
		conn.Close()
	}
}
