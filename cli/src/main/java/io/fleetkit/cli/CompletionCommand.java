package io.fleetkit.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {
            "Print the shell completion script for fleet's commands and options.",
            "",
            "The script completes subcommands, options and their values for bash, and for zsh through its",
            "bash compatibility (bashcompinit, which the script turns on). It is made from the same definitions",
            "as --help, so it always matches this fleet.",
            "",
            "Examples: source <(fleet completion bash)            (this shell; add the line to ~/.bashrc to keep it)",
            "          fleet completion bash > ~/.local/share/bash-completion/completions/fleet",
            "          source <(fleet completion zsh)             (in ~/.zshrc)"
        })
public final class CompletionCommand implements Callable<Integer> {

    /** The shells the script works in. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // One script for both: picocli's completion function, with zsh's bashcompinit switched on when zsh runs it.
        String script = AutoComplete.bash("fleet", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
