package dev.pool4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws {@link Insights} as an SVG timeline ({@link Insights#timelineSvg()}).
 *
 * <p>Plain SVG 1.1 with presentation attributes only: no script, no style sheet, no external
 * resource, so that the file shows the same in a browser, an image viewer or a README. Every piece
 * of text goes through {@link #escape}, since worker names may come from elsewhere (a cluster
 * member names itself). Each row is a {@code <g class="row">}, each bar a {@code <rect class="chunk
 * ...">} with a {@code <title>}, so that tools can read the picture back.
 */
final class Timeline {

  private static final int PLOT_WIDTH = 900;
  private static final int ROW_HEIGHT = 22;
  private static final int BAR_HEIGHT = 16;
  private static final int TOP = 34;
  private static final int PAD = 10;
  private static final int CHAR_WIDTH = 7;

  private static final Map<Insights.Outcome, String> COLOURS =
      new EnumMap<>(Insights.Outcome.class);
  private static final Map<Insights.Outcome, String> LABELS = new EnumMap<>(Insights.Outcome.class);

  static {
    COLOURS.put(Insights.Outcome.OK, "#4e79a7");
    COLOURS.put(Insights.Outcome.FAILED, "#e15759");
    COLOURS.put(Insights.Outcome.RETRIED, "#f28e2b");
    COLOURS.put(Insights.Outcome.TIMED_OUT, "#9c4f96");
    LABELS.put(Insights.Outcome.OK, "ok");
    LABELS.put(Insights.Outcome.FAILED, "failed");
    LABELS.put(Insights.Outcome.RETRIED, "retried");
    LABELS.put(Insights.Outcome.TIMED_OUT, "timed out");
  }

  private Timeline() {}

  /** The colour of an outcome's bars, as written in the SVG ({@code #rrggbb}). */
  static String colour(Insights.Outcome outcome) {
    return COLOURS.get(outcome);
  }

  /** The class of an outcome's bars: ok, failed, retried or timed-out. */
  static String cssClass(Insights.Outcome outcome) {
    return LABELS.get(outcome).replace(' ', '-');
  }

  static String svg(Insights insights) {
    // rows: every worker the figures list (an idle one shows as an empty row), then any place
    // only a span names (its figures were never kept), each keyed by id and name
    Map<String, List<Insights.Span>> rows = new LinkedHashMap<>();
    for (Insights.WorkerStats w : insights.workers()) {
      rows.put(key(w.id(), w.name()), new ArrayList<>());
    }
    long end = insights.wallTime().toNanos();
    for (Insights.Span s : insights.spans()) {
      rows.computeIfAbsent(key(s.workerId(), s.worker()), k -> new ArrayList<>()).add(s);
      end = Math.max(end, s.endNanos());
    }
    final long span = Math.max(1, end);

    int longest = 6;
    for (String k : rows.keySet()) {
      longest = Math.max(longest, name(k).length());
    }
    int left = PAD + Math.min(40, longest) * CHAR_WIDTH + PAD;
    int width = left + PLOT_WIDTH + 2 * PAD;
    int axisY = TOP + rows.size() * ROW_HEIGHT + 4;
    int legendY = axisY + 34;
    int height = legendY + 24;

    StringBuilder sb = new StringBuilder(256 + 160 * insights.spans().size());
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"")
        .append(" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append('"')
        .append(" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append('"')
        .append(" font-family=\"sans-serif\" font-size=\"12\">\n");
    String heading =
        String.format(
            Locale.ROOT,
            "pool4j timeline: %d %s in %s on %d workers, efficiency %.1f%%",
            insights.tasks(),
            insights.tasks() == 1 ? "task" : "tasks",
            Insights.format(insights.wallTime()),
            insights.workers().size(),
            100 * insights.efficiency());
    sb.append("<title>").append(escape(heading)).append("</title>\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    sb.append("<text x=\"")
        .append(PAD)
        .append("\" y=\"18\" font-weight=\"bold\">")
        .append(escape(heading))
        .append("</text>\n");
    if (insights.droppedSpans() > 0) {
      sb.append("<text x=\"")
          .append(width - PAD)
          .append("\" y=\"18\" text-anchor=\"end\">")
          .append(
              escape(
                  "showing the last "
                      + insights.spans().size()
                      + " chunks; "
                      + insights.droppedSpans()
                      + " earlier ones not kept"))
          .append("</text>\n");
    }

    int y = TOP;
    for (Map.Entry<String, List<Insights.Span>> row : rows.entrySet()) {
      String name = name(row.getKey());
      sb.append("<g class=\"row\">\n");
      sb.append("<text class=\"worker\" x=\"")
          .append(left - PAD)
          .append("\" y=\"")
          .append(y + BAR_HEIGHT - 4)
          .append("\" text-anchor=\"end\">")
          .append(escape(name.length() > 40 ? name.substring(0, 39) + "\u2026" : name))
          .append("<title>")
          .append(escape(name))
          .append("</title></text>\n");
      // the lane: what no bar covers is the worker's idle time
      sb.append("<rect x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(PLOT_WIDTH)
          .append("\" height=\"")
          .append(BAR_HEIGHT)
          .append("\" fill=\"#f2f2f2\"/>\n");
      for (Insights.Span s : row.getValue()) {
        double x = left + (double) PLOT_WIDTH * Math.max(0, s.startNanos()) / span;
        long from = Math.max(0, s.startNanos());
        double w = Math.max(0.5, (double) PLOT_WIDTH * (s.endNanos() - from) / span);
        sb.append("<rect class=\"chunk ")
            .append(cssClass(s.outcome()))
            .append("\" x=\"")
            .append(num(x))
            .append("\" y=\"")
            .append(y)
            .append("\" width=\"")
            .append(num(w))
            .append("\" height=\"")
            .append(BAR_HEIGHT)
            .append("\" fill=\"")
            .append(colour(s.outcome()))
            .append("\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>")
            .append(
                escape(
                    name
                        + ": "
                        + s.items()
                        + (s.items() == 1 ? " item in " : " items in ")
                        + Insights.format(s.duration())
                        + ", "
                        + LABELS.get(s.outcome())
                        + " (from "
                        + Insights.format(Duration.ofNanos(Math.max(0, s.startNanos())))
                        + ")"))
            .append("</title></rect>\n");
      }
      sb.append("</g>\n");
      y += ROW_HEIGHT;
    }

    axis(sb, left, axisY, span);
    legend(sb, left, legendY);
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void axis(StringBuilder sb, int left, int y, long span) {
    sb.append("<g class=\"axis\" stroke=\"#555555\">\n");
    sb.append("<line x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(y)
        .append("\" x2=\"")
        .append(left + PLOT_WIDTH)
        .append("\" y2=\"")
        .append(y)
        .append("\"/>\n");
    long step = tickStep(span);
    for (long t = 0; t <= span; t += step) {
      String x = num(left + (double) PLOT_WIDTH * t / span);
      sb.append("<line x1=\"")
          .append(x)
          .append("\" y1=\"")
          .append(y)
          .append("\" x2=\"")
          .append(x)
          .append("\" y2=\"")
          .append(y + 5)
          .append("\"/>\n");
      sb.append("<text x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y + 18)
          .append("\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333333\">")
          .append(escape(tickLabel(t, step)))
          .append("</text>\n");
    }
    sb.append("</g>\n");
  }

  /** A tick's time in the unit of its step, as short as it reads: {@code 0}, {@code 250 ms}. */
  static String tickLabel(long t, long step) {
    if (t == 0) {
      return "0";
    }
    long unit;
    String name;
    if (step >= 1_000_000_000L) {
      unit = 1_000_000_000L;
      name = " s";
    } else if (step >= 1_000_000L) {
      unit = 1_000_000L;
      name = " ms";
    } else if (step >= 1_000L) {
      unit = 1_000L;
      name = " us";
    } else {
      unit = 1;
      name = " ns";
    }
    // a step of 1, 2 or 5 units or more is whole; below the next unit it may be 0.5 of one
    String value =
        t % unit == 0
            ? Long.toString(t / unit)
            : String.format(Locale.ROOT, "%.1f", (double) t / unit);
    return value + name;
  }

  /** A round step (1, 2 or 5 times a power of ten nanoseconds) giving 4 to 10 ticks. */
  static long tickStep(long span) {
    long unit = 1;
    while (unit <= Long.MAX_VALUE / 10 && span / unit > 10) {
      if (span / (unit * 2) <= 10) {
        return unit * 2;
      }
      if (span / (unit * 5) <= 10) {
        return unit * 5;
      }
      unit *= 10;
    }
    return unit;
  }

  private static void legend(StringBuilder sb, int left, int y) {
    sb.append("<g class=\"legend\">\n");
    int x = left;
    for (Insights.Outcome o : Insights.Outcome.values()) {
      sb.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y - 10)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(colour(o))
          .append("\"/>\n");
      sb.append("<text x=\"")
          .append(x + 16)
          .append("\" y=\"")
          .append(y)
          .append("\">")
          .append(escape(LABELS.get(o)))
          .append("</text>\n");
      x += 16 + LABELS.get(o).length() * CHAR_WIDTH + 24;
    }
    sb.append("<rect x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y - 10)
        .append("\" width=\"12\" height=\"12\" fill=\"#f2f2f2\" stroke=\"#cccccc\"/>\n");
    sb.append("<text x=\"").append(x + 16).append("\" y=\"").append(y).append("\">idle</text>\n");
    sb.append("</g>\n");
  }

  private static String key(int id, String name) {
    return id + "\u0000" + name;
  }

  private static String name(String key) {
    return key.substring(key.indexOf('\u0000') + 1);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * Escapes text for XML content and attribute values; drops the characters XML 1.0 cannot hold at
   * all (most control characters, lone surrogates).
   */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if ((c >= 0x20 && c <= 0xD7FF && c != 0x7F)
              || c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0xE000 && c <= 0xFFFD)) {
            sb.append(c);
          } else {
            sb.append('\uFFFD');
          }
        }
      }
    }
    return sb.toString();
  }
}
