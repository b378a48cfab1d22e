package io.fleetkit.cli;

import picocli.CommandLine.Command;

@Command(name = "token",
        description = {
            "Manage API tokens: who may use the server's HTTPS API, and for what.",
            "",
            "A token is a bearer secret for the API under /api/v1/ (`fleet server --api-port`). Its role decides",
            "what it may do: viewer reads; operator also runs rollouts and tags devices; admin also manages",
            "bundles, device identities, netboot assignments and tokens. The server keeps only a hash of each",
            "token, so `fleet token create` shows it once: store it then, or revoke it and make another.",
            "Every create and revoke goes into the audit log (`fleet audit`). The first admin token is made on",
            "the server's machine (--data); after that an admin token manages tokens from anywhere (--server).",
            "",
            "Examples: fleet token create ci-deploy --role operator",
            "          fleet token list",
            "          fleet token revoke ci-deploy",
            "          fleet token list --server https://fleet.example:8443 --token-file ~/.fleet-admin"
        },
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class})
public final class TokenCommand {
}
