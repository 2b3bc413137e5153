package main

import (
	"fmt"
	"os"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizeBuild prints `kustomize build DIR` (the library kubectl apply -k uses), so
// the end-to-end suite validates the manifests exactly as a user applies them, with
// no kubectl on the machine.
func kustomizeBuild(dir string) error {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return err
	}
	out, err := resources.AsYaml()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}

func runKustomize(args []string) {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: kube-harness kustomize DIR")
		os.Exit(2)
	}
	if err := kustomizeBuild(args[0]); err != nil {
		fmt.Fprintf(os.Stderr, "kube-harness kustomize: %v\n", err)
		os.Exit(1)
	}
}
