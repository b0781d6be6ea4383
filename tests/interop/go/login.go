// A Go client for tests/interop/clients.test.ts: opens appcert's files the way Go programs do and
// logs in to the stand-in for DSM's POST /sys/v1/session/auth. Built in GOPATH mode against
// Debian's golang-golang-x-crypto-dev (no module download).
//
//	login p12 <file.p12> <password> <url> <ca.pem>   golang.org/x/crypto/pkcs12.Decode
//	login pem <cert.pem> <key.pem> <url> <ca.pem>     crypto/tls.LoadX509KeyPair
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"

	"golang.org/x/crypto/pkcs12"
)

func main() {
	var certificate tls.Certificate
	switch os.Args[1] {
	case "p12":
		data, err := os.ReadFile(os.Args[2])
		check(err)
		key, leaf, err := pkcs12.Decode(data, os.Args[3])
		if err != nil {
			fmt.Println("refused:", err)
			os.Exit(3)
		}
		certificate = tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key}
	case "pem":
		var err error
		certificate, err = tls.LoadX509KeyPair(os.Args[2], os.Args[3])
		if err != nil {
			fmt.Println("refused:", err)
			os.Exit(3)
		}
	}
	ca, err := os.ReadFile(os.Args[5])
	check(err)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{Certificates: []tls.Certificate{certificate}, RootCAs: roots}}}
	response, err := client.Post(os.Args[4], "application/json", nil)
	check(err)
	body, err := io.ReadAll(response.Body)
	check(err)
	fmt.Println(response.StatusCode)
	fmt.Println(string(body))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
