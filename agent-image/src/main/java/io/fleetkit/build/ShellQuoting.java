package io.fleetkit.build;

import java.util.List;
import java.util.stream.Collectors;

/** Quotes words for the generated POSIX shell scripts, so spec commands run with their exact arguments. */
final class ShellQuoting {

    private ShellQuoting() {
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String command(List<String> words) {
        return words.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
