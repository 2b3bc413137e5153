package main

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// volumePool is how many PersistentVolumes the harness makes at start: a cluster
// without a provisioner (like this one) binds a claim only to a volume that exists,
// and the demo's one StatefulSet claims one per replica. KWOK's pods never mount
// them; they exist so that the PersistentVolume binder binds claims and the
// scheduler places their pods, as minikube's provisioner lets them.
const volumePool = 4

func volumeName(i int) string { return fmt.Sprintf("harness-volume-%d", i) }

// ensureVolumes creates the pool of 10 GiB volumes without a storage class (what a
// claim without one, in a cluster without a default class, binds to).
func ensureVolumes(ctx context.Context, client kubernetes.Interface) error {
	for i := range volumePool {
		volume := &corev1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: volumeName(i)},
			Spec: corev1.PersistentVolumeSpec{
				Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("10Gi")},
				AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
				PersistentVolumeSource: corev1.PersistentVolumeSource{
					HostPath: &corev1.HostPathVolumeSource{Path: fmt.Sprintf("/var/lib/harness/%s", volumeName(i))},
				},
			},
		}
		_, err := client.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("volume %s: %w", volume.Name, err)
		}
	}
	return nil
}
