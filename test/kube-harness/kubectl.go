package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

// runKubectl is kubectl itself (`kube-harness kubectl ARGS`, the same code as the
// kubectl command of this Kubernetes version), so the runbook's commands run
// verbatim with no kubectl on the machine.
func runKubectl(args []string) {
	os.Args = append([]string{"kubectl"}, args...)
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}
