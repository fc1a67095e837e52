# Builds the one Native AOT `bootstrap` that serves the four functions of template.yaml.
#
# `sam build` (Metadata: BuildMethod: makefile) runs `make build-<LogicalId>` once per function, with
# ARTIFACTS_DIR set to that function's output folder, possibly four at a time (`--parallel`). The
# bootstrap is published once per architecture, under a lock, and copied into each ARTIFACTS_DIR.
#
# SAM does not tell a Makefile the function's architecture (aws/aws-sam-cli#3349), so it is a
# variable here: keep it equal to the template's Architecture parameter.
#   ARCHITECTURE=arm64 sam build --parameter-overrides Architecture=arm64
# Native AOT compiles for the machine it runs on; arm64 on an x86_64 host needs a cross toolchain
# (see the README).

ARCHITECTURE ?= x86_64
RID_x86_64 := linux-x64
RID_arm64 := linux-arm64
RID := $(RID_$(ARCHITECTURE))

# SAM runs make in a scratch copy of CodeUri; the repository is where this Makefile is.
REPO_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
THIS_MAKEFILE := $(REPO_ROOT)/Makefile

# Intermediate and published files live apart from the tree's own bin/ and obj/, so that a SAM build
# never races a `dotnet build` of the same projects. SAM leaves .aws-sam out of its copies.
BUILD_ROOT ?= $(REPO_ROOT)/.aws-sam/dotnet/$(RID)
PUBLISH_DIR := $(BUILD_ROOT)/publish
LOCK_DIR := $(BUILD_ROOT).lock
LOCK_WAIT_SECONDS ?= 900
LAMBDA_GLIBC := 2.34

# What the bootstrap is made of: any newer file than the last publish means publish again.
SOURCES := $(shell find $(REPO_ROOT)/src -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' -o -name '*.targets' \) -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null) \
	$(wildcard $(REPO_ROOT)/Directory.Build.props $(REPO_ROOT)/Directory.Packages.props $(REPO_ROOT)/global.json $(REPO_ROOT)/nuget.config) \
	$(THIS_MAKEFILE)

FUNCTIONS := VendFunction DecodeFunction LeasesFunction AdminFunction RevokeFunction

.PHONY: $(addprefix build-,$(FUNCTIONS)) publish check-architecture

$(addprefix build-,$(FUNCTIONS)): check-architecture
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; by hand, make $@ ARTIFACTS_DIR=DIR" >&2; exit 2; }
	@mkdir -p "$(dir $(LOCK_DIR))"
	@# One publish at a time: the first build of a parallel sam build publishes, the others find it done.
	@waited=0; until mkdir "$(LOCK_DIR)" 2>/dev/null; do \
		if [ $$waited -ge $(LOCK_WAIT_SECONDS) ]; then echo "Waited $(LOCK_WAIT_SECONDS) s for $(LOCK_DIR); remove it if no build is running." >&2; exit 1; fi; \
		sleep 1; waited=$$((waited + 1)); \
	done; \
	trap 'rmdir "$(LOCK_DIR)"' EXIT; trap 'exit 1' INT TERM HUP; \
	$(MAKE) --no-print-directory -f "$(THIS_MAKEFILE)" publish
	@mkdir -p "$(ARTIFACTS_DIR)"
	@# The bootstrap alone: the .dbg symbols stay behind, keeping the deployed package small.
	cp "$(PUBLISH_DIR)/bootstrap" "$(ARTIFACTS_DIR)/bootstrap"
	chmod 755 "$(ARTIFACTS_DIR)/bootstrap"

publish: $(PUBLISH_DIR)/bootstrap

$(PUBLISH_DIR)/bootstrap: $(SOURCES)
	dotnet publish "$(REPO_ROOT)/src/CredentialVending.Functions" -c Release -r $(RID) \
		--artifacts-path "$(BUILD_ROOT)/artifacts" -o "$(PUBLISH_DIR)"
	@# The native binary links against this host's glibc; provided.al2023 has 2.34, so nothing newer may be asked for.
	@if command -v objdump >/dev/null 2>&1; then \
		needed=$$(objdump -T "$@" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1); \
		if [ -n "$$needed" ] && [ "$$(printf '%s\n' "$(LAMBDA_GLIBC)" "$$needed" | sort -V | tail -n 1)" != "$(LAMBDA_GLIBC)" ]; then \
			echo "bootstrap needs glibc $$needed; provided.al2023 has $(LAMBDA_GLIBC): build on an older distribution." >&2; rm -f "$@"; exit 1; \
		fi; \
	fi
	@touch "$@"

check-architecture:
	@test -n "$(RID)" || { echo "ARCHITECTURE is '$(ARCHITECTURE)': it must be x86_64 or arm64, as the template's Architecture parameter." >&2; exit 2; }
