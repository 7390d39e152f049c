package io.ucache.cli;

import java.util.List;

/** Rows of text as aligned columns, the last column left free (it may hold free text). */
final class Tables {
  private Tables() {}

  /** {@code rows} (the first is the header) as lines, each column as wide as its widest cell. */
  static String format(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        out.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.append(row[row.length - 1]).append('\n');
    }
    return out.toString();
  }
}
