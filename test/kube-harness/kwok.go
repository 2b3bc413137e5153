package main

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"

	nodefast "sigs.k8s.io/kwok/kustomize/stage/node/fast"
	nodeheartbeat "sigs.k8s.io/kwok/kustomize/stage/node/heartbeat"
	podfast "sigs.k8s.io/kwok/kustomize/stage/pod/fast"
	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/client/clientset/versioned"
	kwokconfig "sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/kwok/controllers"
	kwokclient "sigs.k8s.io/kwok/pkg/utils/client"
)

// faultStages are the harness's own KWOK stages: a pod labelled
// kube-harness.io/fault=not-ready|crash-loop|deleted turns not ready, crash-loops
// or is deleted; removing the label makes a running pod ready again. See README.md.
//
//go:embed stages/faults.yaml
var faultStages string

const (
	// fakeNodeAnnotation marks the nodes KWOK manages (and only those).
	fakeNodeAnnotation = "kwok.x-k8s.io/node"
	// nodeIP is every fake node's InternalIP: nothing dials a kubelet here.
	nodeIP = "127.0.0.1"
)

// nodeName and podCIDR of the i-th fake node: pods on node i get addresses in
// 127.1.i.0/24, loopback addresses a process on this host can bind.
func nodeName(i int) string { return fmt.Sprintf("kwok-node-%d", i) }
func podCIDR(i int) string  { return fmt.Sprintf("127.1.%d.0/24", i) }

// startKWOK runs KWOK's controllers in-process: they keep the fake nodes Ready
// and move pods through their lifecycle (scheduled -> Running and Ready; deleted
// -> gone) by the default stages plus faultStages.
func startKWOK(ctx context.Context, kubeconfig string) error {
	stages, err := loadStages(
		nodefast.DefaultNodeInit, nodeheartbeat.DefaultNodeHeartbeat,
		podfast.DefaultPodReady, podfast.DefaultPodComplete, podfast.DefaultPodDelete,
		faultStages,
	)
	if err != nil {
		return err
	}
	clients, err := kwokclient.NewClientset("", kubeconfig)
	if err != nil {
		return err
	}
	restConfig, err := clients.ToRESTConfig()
	if err != nil {
		return err
	}
	dynamicClient, err := clients.ToDynamicClient()
	if err != nil {
		return err
	}
	restMapper, err := clients.ToRESTMapper()
	if err != nil {
		return err
	}
	restClient, err := rest.RESTClientFor(restConfig)
	if err != nil {
		return err
	}
	typedClient, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		return err
	}
	kwokClient, err := versioned.NewForConfig(restConfig)
	if err != nil {
		return err
	}
	id, err := controllers.Identity()
	if err != nil {
		return err
	}
	defaults := kwokconfig.GetKwokConfiguration(ctx).Options
	ctr, err := controllers.NewController(controllers.Config{
		Clock:                             clock.RealClock{},
		DynamicClient:                     dynamicClient,
		RESTClient:                        restClient,
		RESTMapper:                        restMapper,
		ImpersonatingDynamicClient:        clients.ToImpersonatingDynamicClient(),
		ImpersonatingTypedClient:          clients.ToImpersonatingTypedClient(),
		TypedClient:                       typedClient,
		TypedKwokClient:                   kwokClient,
		ManageNodesWithAnnotationSelector: fakeNodeAnnotation + "=fake",
		CIDR:                              podCIDR(0), // only for a node without spec.podCIDR
		NodeIP:                            nodeIP,
		LocalStages:                       stages,
		PodPlayStageParallelism:           defaults.PodPlayStageParallelism,
		NodePlayStageParallelism:          defaults.NodePlayStageParallelism,
		NodeLeaseParallelism:              defaults.NodeLeaseParallelism,
		PodsOnNodeSyncParallelism:         defaults.PodsOnNodeSyncParallelism,
		EnablePodsOnNodeSyncListPager:     defaults.EnablePodsOnNodeSyncListPager,
		ID:                                id,
	})
	if err != nil {
		return err
	}
	return ctr.Start(ctx)
}

// loadStages parses KWOK Stage documents (several per string, "---" apart) and
// groups them by the resource they act on, as KWOK's own command does.
func loadStages(sources ...string) (map[internalversion.StageResourceRef][]*internalversion.Stage, error) {
	grouped := map[internalversion.StageResourceRef][]*internalversion.Stage{}
	for _, source := range sources {
		for _, doc := range strings.Split(source, "\n---\n") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			stage, err := kwokconfig.UnmarshalWithType[*internalversion.Stage](doc)
			if err != nil {
				return nil, fmt.Errorf("kwok stage: %w", err)
			}
			grouped[stage.Spec.ResourceRef] = append(grouped[stage.Spec.ResourceRef], stage)
		}
	}
	return grouped, nil
}

// ensureNodes creates the fake nodes that do not exist yet (a restart finds them).
func ensureNodes(ctx context.Context, client kubernetes.Interface, count int) error {
	for i := range count {
		node := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name:        nodeName(i),
				Annotations: map[string]string{fakeNodeAnnotation: "fake"},
				Labels: map[string]string{
					"kubernetes.io/hostname": nodeName(i),
					"kubernetes.io/os":       "linux",
					"type":                   "kwok",
				},
			},
			Spec: corev1.NodeSpec{PodCIDR: podCIDR(i), PodCIDRs: []string{podCIDR(i)}},
			Status: corev1.NodeStatus{
				Allocatable: nodeResources(),
				Capacity:    nodeResources(),
			},
		}
		_, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("node %s: %w", node.Name, err)
		}
	}
	return nil
}

func nodeResources() corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
}

// nodesReady reports whether every fake node has its Ready condition True, and
// takes the node.kubernetes.io/not-ready taint off each that has: the apiserver
// puts it on every new node, and the node lifecycle controller takes it off once
// the node is Ready. That controller does not run here (it would mark the nodes
// unreachable after a harness restart, until KWOK's next heartbeat).
func nodesReady(ctx context.Context, client kubernetes.Interface, count int) (bool, error) {
	for i := range count {
		node, err := client.CoreV1().Nodes().Get(ctx, nodeName(i), metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		ready := false
		for _, c := range node.Status.Conditions {
			ready = ready || (c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue)
		}
		if !ready {
			return false, nil
		}
		taints := node.Spec.Taints[:0:0]
		for _, t := range node.Spec.Taints {
			if t.Key != corev1.TaintNodeNotReady {
				taints = append(taints, t)
			}
		}
		if len(taints) != len(node.Spec.Taints) {
			node.Spec.Taints = taints
			if _, err := client.CoreV1().Nodes().Update(ctx, node, metav1.UpdateOptions{}); err != nil {
				return false, nil // a conflict with KWOK's heartbeat: try again
			}
		}
	}
	return true, nil
}
