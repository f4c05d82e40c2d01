package dev.pool4j.internal.progress;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a terminal to check what bars leave on screen: printable characters overwrite in
 * place, {@code \r} returns to column 0, {@code \n} goes to the start of the next line (as a tty
 * with {@code onlcr} does), and {@code ESC [ n A} moves the cursor up. Anything else fails.
 */
final class Screen {

  private final List<StringBuilder> rows = new ArrayList<>();
  private int row;
  private int col;

  Screen() {
    rows.add(new StringBuilder());
  }

  static Screen of(String output) {
    Screen screen = new Screen();
    screen.feed(output);
    return screen;
  }

  void feed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        row++;
        col = 0;
        while (rows.size() <= row) {
          rows.add(new StringBuilder());
        }
      } else if (c == '\u001b') {
        int end = s.indexOf('A', i);
        if (s.charAt(i + 1) != '[' || end < 0) {
          throw new IllegalArgumentException("unexpected escape at " + i + ": " + s.substring(i));
        }
        int n = Integer.parseInt(s.substring(i + 2, end));
        if (n > row) {
          throw new IllegalStateException("cursor moved above the first line");
        }
        row -= n;
        i = end;
      } else if (c < ' ') {
        throw new IllegalArgumentException("unexpected control character " + (int) c);
      } else {
        StringBuilder line = rows.get(row);
        while (line.length() < col) {
          line.append(' ');
        }
        if (col < line.length()) {
          line.setCharAt(col, c);
        } else {
          line.append(c);
        }
        col++;
      }
    }
  }

  /** The text of every line, trailing blanks and trailing empty lines removed. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    for (StringBuilder sb : rows) {
      out.add(sb.toString().stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  int cursorRow() {
    return row;
  }

  int cursorColumn() {
    return col;
  }
}
