package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	cliflag "k8s.io/component-base/cli/flag"
	kcm "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kcmoptions "k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
	"k8s.io/kubernetes/cmd/kube-controller-manager/names"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	scheduleroptions "k8s.io/kubernetes/cmd/kube-scheduler/app/options"
)

// kcmControllers are the kube-controller-manager loops the harness runs: what turns
// Deployments into ReplicaSets and pods and back, follows pod readiness into
// EndpointSlices and Deployment status, computes PodDisruptionBudgets (so
// evictions respect them), deletes what a deleted owner leaves behind, gives
// every namespace its default ServiceAccount (pods cannot be created without it),
// runs StatefulSets (the demo's PostgreSQL), binds their claims to volumes, and
// lifts the claims' and volumes' protection finalizers once unused (or deleting the
// namespace would wait for them forever).
var kcmControllers = []string{
	names.DeploymentController,
	names.ReplicaSetController,
	names.EndpointSliceController,
	names.GarbageCollectorController,
	names.DisruptionController,
	names.NamespaceController,
	names.ServiceAccountController,
	names.PodGarbageCollectorController,
	names.StatefulSetController,
	names.PersistentVolumeBinderController,
	names.PersistentVolumeClaimProtectionController,
	names.PersistentVolumeProtectionController,
}

// parseNamedFlags parses args into every flag set of a component's options.
func parseNamedFlags(name string, sets cliflag.NamedFlagSets, args []string) error {
	flags := pflag.NewFlagSet(name, pflag.ContinueOnError)
	for _, set := range sets.FlagSets {
		flags.AddFlagSet(set)
	}
	return flags.Parse(args)
}

// startControllerManager does what kube-controller-manager's command does (the
// process's logging is already set up by the apiserver's options), with leader
// election and serving off: one instance, nobody scrapes it.
func startControllerManager(ctx context.Context, kubeconfig string, done chan<- error) error {
	s, err := kcmoptions.NewKubeControllerManagerOptions()
	if err != nil {
		return err
	}
	known, disabled, aliases := kcm.KnownControllers(), kcm.ControllersDisabledByDefault(), kcm.ControllerAliases()
	err = parseNamedFlags("kube-controller-manager", s.Flags(known, disabled, aliases), []string{
		"--kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--secure-port=0",
		"--controllers=" + strings.Join(kcmControllers, ","),
		// React at once: the defaults batch EndpointSlice updates for a second.
		"--endpointslice-updates-batch-period=0s",
	})
	if err != nil {
		return err
	}
	c, err := s.Config(ctx, known, disabled, aliases)
	if err != nil {
		return err
	}
	go func() { done <- kcm.Run(ctx, c.Complete()) }()
	return nil
}

// startScheduler does what kube-scheduler's command does, with leader election
// and serving off.
func startScheduler(ctx context.Context, kubeconfig string, done chan<- error) error {
	opts := scheduleroptions.NewOptions()
	if err := parseNamedFlags("kube-scheduler", *opts.Flags, []string{
		"--kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--secure-port=0",
	}); err != nil {
		return err
	}
	cc, sched, err := scheduler.Setup(ctx, opts)
	if err != nil {
		return err
	}
	go func() { done <- scheduler.Run(ctx, cc, sched) }()
	return nil
}

// startControlPlane starts kube-controller-manager, kube-scheduler and KWOK
// against the running apiserver, creates the fake nodes and returns once KWOK
// has made them Ready. kube-controller-manager and kube-scheduler report on
// done when they stop.
func startControlPlane(ctx context.Context, kubeconfig string, nodes int, done chan<- error) error {
	if err := startControllerManager(ctx, kubeconfig, done); err != nil {
		return fmt.Errorf("kube-controller-manager: %w", err)
	}
	if err := startScheduler(ctx, kubeconfig, done); err != nil {
		return fmt.Errorf("kube-scheduler: %w", err)
	}
	if err := startKWOK(ctx, kubeconfig); err != nil {
		return fmt.Errorf("kwok: %w", err)
	}
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	if err := ensureNodes(ctx, client, nodes); err != nil {
		return err
	}
	if err := ensureVolumes(ctx, client); err != nil {
		return err
	}
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		return nodesReady(ctx, client, nodes)
	})
	if err != nil {
		return fmt.Errorf("fake nodes not Ready: %w", err)
	}
	return nil
}
