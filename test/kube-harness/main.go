// Command kube-harness runs a real etcd and a real kube-apiserver in one
// process on loopback, for end-to-end tests: the project's envtest.
//
// All state (etcd data, PKI, chosen ports, kubeconfig) lives in --dir and is
// reused by the next run with the same --dir, so a restarted harness serves
// the same cluster state to the same kubeconfig. See README.md.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"google.golang.org/grpc/grpclog"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	basecompatibility "k8s.io/component-base/compatibility"
	logsapi "k8s.io/component-base/logs/api/v1"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
)

const (
	serviceCIDR = "10.96.0.0/16"
	serviceIP   = "10.96.0.1" // first address of serviceCIDR: the "kubernetes" Service
	issuer      = "https://kubernetes.default.svc.cluster.local"
	contextName = "harness"
)

// ports are chosen once per --dir and remembered in DIR/ports.json.
type ports struct {
	APIServer  int `json:"apiserver"`
	EtcdClient int `json:"etcdClient"`
	EtcdPeer   int `json:"etcdPeer"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "kustomize" {
		runKustomize(os.Args[2:])
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "kubectl" {
		runKubectl(os.Args[2:])
		return
	}
	dir := flag.String("dir", "", "state directory (etcd data, PKI, kubeconfig); reused if it exists (required)")
	port := flag.Int("port", 0, "apiserver secure port; 0 = the one remembered in --dir, else a free one")
	etcdPort := flag.Int("etcd-port", 0, "etcd client port; 0 = the one remembered in --dir, else a free one")
	exitOnEOF := flag.Bool("exit-on-stdin-eof", false, "shut down when stdin reaches EOF (the parent died or closed the pipe)")
	noControllers := flag.Bool("no-controllers", false, "run only etcd and kube-apiserver: no controller-manager, scheduler or KWOK nodes")
	nodes := flag.Int("nodes", 2, "fake nodes (KWOK) to create; node i gives its pods addresses in 127.1.i.0/24")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: kube-harness --dir DIR [--port N] [--etcd-port N] [--nodes N] [--no-controllers] [--exit-on-stdin-eof] [-- extra kube-apiserver flags]\n       kube-harness kubectl ARGS...\n       kube-harness kustomize DIR\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	// The apiserver routes gRPC's logs into klog, and its etcd clients log a
	// warning for every cancelled dial; with etcd in-process those are noise.
	// Keep gRPC errors only. (Must happen before any gRPC use.)
	grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, io.Discard, os.Stderr))
	if *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *nodes < 0 || *nodes > 200 {
		fmt.Fprintln(os.Stderr, "kube-harness: --nodes must be between 0 and 200")
		os.Exit(2)
	}
	controlPlane := *nodes
	if *noControllers {
		controlPlane = -1
	}
	err := run(*dir, *port, *etcdPort, controlPlane, *exitOnEOF, flag.Args())
	klog.Info("kube-harness: stopped")
	klog.Flush()
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube-harness: %v\n", err)
		os.Exit(1)
	}
}

// run starts etcd and the apiserver, then (unless nodes < 0) the controllers, the
// scheduler and KWOK with that many fake nodes, and serves until told to stop.
func run(dir string, wantPort, wantEtcdPort, nodes int, exitOnEOF bool, extraArgs []string) error {
	// Register early so that a signal during the (slow) start-up is not lost.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	compact := make(chan os.Signal, 1)
	signal.Notify(compact, syscall.SIGUSR1)
	if exitOnEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- stdinEOF{}
		}()
	}

	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	p, err := choosePorts(dir, wantPort, wantEtcdPort)
	if err != nil {
		return err
	}
	keys := pki{dir: filepath.Join(dir, "pki")}
	if err := keys.ensure(net.ParseIP(serviceIP)); err != nil {
		return fmt.Errorf("pki: %w", err)
	}

	etcdLog := zap.NewAtomicLevelAt(zap.ErrorLevel)
	etcd, err := startEtcd(filepath.Join(dir, "etcd"), p, etcdLog)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	// etcd is the last thing to go: close it on every return path. Closing
	// makes its listeners log "serving failed" errors: silence them first.
	defer closeWithin(3*time.Second, func() { etcdLog.SetLevel(zap.FatalLevel); etcd.Close() })

	ctx, cancel := context.WithCancel(context.Background()) // cancel = stop the apiserver
	apiDone := make(chan error, 1)
	// On the way out, give the apiserver a moment to drain; its watches end
	// at once (see --shutdown-watch-termination-grace-period below).
	// Before it is ready, do not stop it at all: its post-start hooks treat a
	// cancelled context as fatal (klog.Fatal, exit 255). Then we only close
	// etcd and exit, which for etcd is as safe as any crash.
	ready := false
	defer func() {
		if !ready {
			return
		}
		cancel()
		select {
		case <-apiDone:
		case <-time.After(4 * time.Second):
			klog.Warning("kube-harness: apiserver did not stop within 4s; exiting anyway")
		}
	}()
	if err := startAPIServer(ctx, dir, keys, p, extraArgs, apiDone); err != nil {
		return fmt.Errorf("kube-apiserver: %w", err)
	}

	kubeconfig := filepath.Join(dir, "kubeconfig")
	server := fmt.Sprintf("https://127.0.0.1:%d", p.APIServer)
	if err := writeKubeconfig(kubeconfig, server, keys); err != nil {
		return err
	}

	if err := waitReady(server, keys, stop, apiDone); err != nil {
		if errors.Is(err, errInterrupted) {
			return nil // asked to stop: that is a clean exit, ready or not
		}
		return err
	}
	ready = true
	controllersDone := make(chan error, 2)
	if nodes >= 0 {
		cpCtx, stopControlPlane := context.WithCancel(ctx)
		// Stopped before the apiserver (deferred later, so run earlier): the
		// controllers' last writes still find it.
		defer func() {
			stopControlPlane()
			for range 2 {
				select {
				case <-controllersDone:
				case <-time.After(3 * time.Second):
					return
				}
			}
		}()
		if err := startControlPlane(cpCtx, kubeconfig, nodes, controllersDone); err != nil {
			return err
		}
	}
	line, _ := json.Marshal(struct {
		Ready      bool   `json:"ready"`
		Server     string `json:"server"`
		Kubeconfig string `json:"kubeconfig"`
		Port       int    `json:"port"`
	}{true, server, kubeconfig, p.APIServer})
	fmt.Fprintf(os.Stdout, "%s\n", line) // os.Stdout is unbuffered: this is the flush
	os.Stdout.Sync()                     // harmless error on a pipe

	for {
		select {
		case <-compact:
			rev, err := compactEtcd(etcd)
			if err != nil {
				klog.Errorf("kube-harness: compaction failed: %v", err)
				continue
			}
			// A fixed, greppable line on stderr; stdout carries only the ready line.
			fmt.Fprintf(os.Stderr, "kube-harness: compacted etcd at revision %d\n", rev)
		case sig := <-stop:
			klog.Infof("kube-harness: %v: shutting down", sig)
			return nil
		case err := <-apiDone:
			ready = false // nothing left to stop
			return fmt.Errorf("kube-apiserver stopped: %v", err)
		case err := <-controllersDone:
			return fmt.Errorf("kube-controller-manager or kube-scheduler stopped: %v", err)
		case err := <-etcd.Err():
			return fmt.Errorf("etcd failed: %v", err)
		}
	}
}

// choosePorts takes explicit ports, then the ones remembered in DIR, then free
// ones, and remembers the result. etcd's peer port is remembered because a
// single-member cluster keeps its peer URL in the data directory.
func choosePorts(dir string, wantPort, wantEtcdPort int) (ports, error) {
	file := filepath.Join(dir, "ports.json")
	var p ports
	if raw, err := os.ReadFile(file); err == nil {
		if err := json.Unmarshal(raw, &p); err != nil {
			return p, fmt.Errorf("%s: %w", file, err)
		}
	}
	pick := func(want, remembered int) (int, error) {
		if want != 0 {
			return want, nil
		}
		if remembered != 0 && portFree(remembered) {
			return remembered, nil
		}
		return freePort()
	}
	var err error
	if p.APIServer, err = pick(wantPort, p.APIServer); err != nil {
		return p, err
	}
	if p.EtcdClient, err = pick(wantEtcdPort, p.EtcdClient); err != nil {
		return p, err
	}
	if p.EtcdPeer == 0 { // never re-picked: see above
		if p.EtcdPeer, err = freePort(); err != nil {
			return p, err
		}
	}
	raw, _ := json.MarshalIndent(p, "", "  ")
	return p, os.WriteFile(file, raw, 0o644)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func startEtcd(dataDir string, p ports, level zap.AtomicLevel) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "harness"
	cfg.Dir = dataDir
	lg, err := zap.Config{
		Level: level, Encoding: "console", EncoderConfig: zap.NewProductionEncoderConfig(),
		OutputPaths: []string{"stderr"}, ErrorOutputPaths: []string{"stderr"}, DisableStacktrace: true,
	}.Build()
	if err != nil {
		return nil, err
	}
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(lg)
	// Test data only: skipping fsync makes writes much faster, and the data
	// still survives the process being killed (only a machine crash loses it).
	cfg.UnsafeNoFsync = true
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", p.EtcdClient)}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", p.EtcdPeer)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// The metrics listener defaults to the client URL; nothing else is opened.

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, errors.New("not ready after 60s")
	}
}

// compactEtcd makes every resourceVersion handed out so far too old: a watch
// or an exact LIST from any of them then fails with 410 Gone.
//
// A watch from resourceVersion X reads from revision X+1 on, and etcd still
// serves the compaction revision itself. So compacting at the current
// revision R would spare watches from R-1 and R. Two writes to a key outside
// the apiserver's /registry prefix first move the head to R+2; compacting
// there catches every X <= R.
func compactEtcd(e *embed.Etcd) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := 0; i < 2; i++ {
		if _, err := e.Server.Put(ctx, &pb.PutRequest{Key: []byte("/kube-harness/compaction"), Value: []byte(strconv.Itoa(i))}); err != nil {
			return 0, err
		}
	}
	rev := e.Server.KV().Rev()
	_, err := e.Server.Compact(ctx, &pb.CompactionRequest{Revision: rev, Physical: true})
	return rev, err
}

// startAPIServer does what kube-apiserver's cobra command does, minus its
// signal handling (we own the process's signals) and flag printing.
func startAPIServer(ctx context.Context, dir string, keys pki, p ports, extraArgs []string, done chan<- error) error {
	s := options.NewServerRunOptions()
	args := []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(p.APIServer),
		"--cert-dir=" + filepath.Join(dir, "pki"),
		"--tls-cert-file=" + keys.servingCert(),
		"--tls-private-key-file=" + keys.servingKey(),
		"--client-ca-file=" + keys.caCert(),
		"--authorization-mode=RBAC",
		"--etcd-servers=" + fmt.Sprintf("http://127.0.0.1:%d", p.EtcdClient),
		// Watches are served straight from etcd, so after a compaction a watch
		// from an older resourceVersion gets 410 Gone. With the watch cache the
		// apiserver would keep answering from its in-memory window instead.
		"--watch-cache=false",
		// No periodic compaction by the apiserver: 410s happen only on SIGUSR1.
		"--etcd-compaction-interval=0",
		"--service-cluster-ip-range=" + serviceCIDR,
		"--service-account-issuer=" + issuer,
		"--service-account-key-file=" + keys.saPub(),
		"--service-account-signing-key-file=" + keys.saKey(),
		// Nothing in-cluster needs the "kubernetes" Service's endpoints here.
		"--endpoint-reconciler-type=none",
		// Without this the apiserver waits for open watches to end on their
		// own (up to --request-timeout, 1m) before it stops. With it, watch
		// handlers return as soon as shutdown begins, so clients see their
		// watches close and SIGTERM takes about a second.
		"--shutdown-watch-termination-grace-period=2s",
		"--profiling=false",
		"--v=0",
	}
	if err := parseNamedFlags("kube-apiserver", s.Flags(), append(args, extraArgs...)); err != nil {
		return err
	}

	// The same sequence as app.NewAPIServerCommand's PersistentPreRunE + RunE.
	if err := s.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	rest.SetDefaultWarningHandler(rest.NoWarnings{})
	featureGate := s.GenericServerRunOptions.ComponentGlobalsRegistry.FeatureGateFor(basecompatibility.DefaultKubeComponent)
	if err := logsapi.ValidateAndApply(s.Logs, featureGate); err != nil {
		return err
	}
	completed, err := s.Complete(ctx)
	if err != nil {
		return err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return utilerrors.NewAggregate(errs)
	}
	go func() { done <- app.Run(ctx, completed) }()
	return nil
}

func writeKubeconfig(path, server string, keys pki) error {
	read := func(f string) []byte {
		b, err := os.ReadFile(f)
		if err != nil {
			panic(err) // ensure() just wrote them
		}
		return b
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[contextName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: read(keys.caCert())}
	cfg.AuthInfos[contextName] = &clientcmdapi.AuthInfo{ClientCertificateData: read(keys.adminCert()), ClientKeyData: read(keys.adminKey())}
	cfg.Contexts[contextName] = &clientcmdapi.Context{Cluster: contextName, AuthInfo: contextName, Namespace: "default"}
	cfg.CurrentContext = contextName
	return clientcmd.WriteToFile(*cfg, path)
}

type stdinEOF struct{} // an os.Signal that means "stdin reached EOF"

func (stdinEOF) Signal()        {}
func (stdinEOF) String() string { return "stdin EOF" }

var errInterrupted = errors.New("interrupted before ready")

// closeWithin runs fn but gives up waiting for it after d.
func closeWithin(d time.Duration, fn func()) {
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		klog.Warningf("kube-harness: close did not finish within %v", d)
	}
}

// waitReady polls /readyz as the admin until it answers 200 "ok".
func waitReady(server string, keys pki, stop <-chan os.Signal, apiDone <-chan error) error {
	cert, err := tls.LoadX509KeyPair(keys.adminCert(), keys.adminKey())
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	caPEM, err := os.ReadFile(keys.caCert())
	if err != nil {
		return err
	}
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}},
	}}
	deadline := time.After(3 * time.Minute)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return errInterrupted
		case err := <-apiDone:
			return fmt.Errorf("kube-apiserver exited before ready: %v", err)
		case <-deadline:
			return errors.New("kube-apiserver not ready after 3m")
		case <-tick.C:
		}
		resp, err := client.Get(server + "/readyz")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && string(body) == "ok" {
			return nil
		}
	}
}
