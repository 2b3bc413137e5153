package main

// Certificates and keys the harness needs, created once per --dir and reused
// afterwards so that a kubeconfig written by an earlier run stays valid.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/util/keyutil"
)

type pki struct {
	dir string // DIR/pki
}

func (p pki) path(name string) string { return filepath.Join(p.dir, name) }

// CA signs both the apiserver's serving certificate and the admin client
// certificate; the apiserver trusts it via --client-ca-file.
func (p pki) caCert() string      { return p.path("ca.crt") }
func (p pki) caKey() string       { return p.path("ca.key") }
func (p pki) servingCert() string { return p.path("apiserver.crt") }
func (p pki) servingKey() string  { return p.path("apiserver.key") }
func (p pki) adminCert() string   { return p.path("admin.crt") }
func (p pki) adminKey() string    { return p.path("admin.key") }
func (p pki) saKey() string       { return p.path("sa.key") } // signs service-account tokens
func (p pki) saPub() string       { return p.path("sa.pub") } // verifies them

// ensure creates whatever is missing. Files that exist are left untouched.
func (p pki) ensure(serviceIP net.IP) error {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	caKey, ca, err := p.loadOrCreateCA()
	if err != nil {
		return err
	}
	if !exists(p.servingCert()) || !exists(p.servingKey()) {
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kube-apiserver"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			DNSNames: []string{"localhost", "kubernetes", "kubernetes.default",
				"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), serviceIP},
		}
		if err := p.issue(tmpl, ca, caKey, p.servingCert(), p.servingKey()); err != nil {
			return err
		}
	}
	if !exists(p.adminCert()) || !exists(p.adminKey()) {
		// O=system:masters is the superuser group: the apiserver allows it
		// everything before RBAC is even consulted.
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kube-harness-admin", Organization: []string{"system:masters"}},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if err := p.issue(tmpl, ca, caKey, p.adminCert(), p.adminKey()); err != nil {
			return err
		}
	}
	if !exists(p.saKey()) || !exists(p.saPub()) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		if err := writeKey(p.saKey(), key); err != nil {
			return err
		}
		pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			return err
		}
		if err := os.WriteFile(p.saPub(), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (p pki) loadOrCreateCA() (crypto.Signer, *x509.Certificate, error) {
	if exists(p.caCert()) && exists(p.caKey()) {
		keyAny, err := keyutil.PrivateKeyFromFile(p.caKey())
		if err != nil {
			return nil, nil, err
		}
		key, ok := keyAny.(crypto.Signer)
		if !ok {
			return nil, nil, fmt.Errorf("%s: not a signing key", p.caKey())
		}
		raw, err := os.ReadFile(p.caCert())
		if err != nil {
			return nil, nil, err
		}
		block, _ := pem.Decode(raw)
		if block == nil {
			return nil, nil, fmt.Errorf("%s: no PEM data", p.caCert())
		}
		ca, err := x509.ParseCertificate(block.Bytes)
		return key, ca, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "kube-harness-ca"},
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if err := fillValidity(tmpl); err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, err
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	// Write the key first: a half-written CA is detected by the missing cert.
	if err := writeKey(p.caKey(), key); err != nil {
		return nil, nil, err
	}
	// A new CA invalidates any older leaf certificates.
	for _, f := range []string{p.servingCert(), p.adminCert()} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
	}
	return key, ca, writeCert(p.caCert(), der)
}

// issue signs tmpl with the CA and writes the certificate and a fresh key.
func (p pki) issue(tmpl, ca *x509.Certificate, caKey crypto.Signer, certFile, keyFile string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	if err := fillValidity(tmpl); err != nil {
		return err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return err
	}
	if err := writeKey(keyFile, key); err != nil {
		return err
	}
	return writeCert(certFile, der)
}

func fillValidity(tmpl *x509.Certificate) error {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return err
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour) // tolerate small clock skew
	tmpl.NotAfter = time.Now().AddDate(10, 0, 0)
	return nil
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}

func writeCert(path string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
