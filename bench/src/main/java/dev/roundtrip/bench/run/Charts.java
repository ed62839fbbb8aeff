package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts draws requests/s and p99 latency by concurrency, one line per client, as PNG files. */
final class Charts {
    private Charts() {
    }

    /** Writes {@code rps-NAME.png} and {@code p99-NAME.png} for one (path, threads); returns their file names. */
    static List<String> write(Stats stats, String path, String threads, String title, String name, Path dir)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Integer> cs = stats.concurrencies(path, threads);
        List<String> files = new ArrayList<>();
        XYChart rps = chart(title + ": requests/s by concurrency (median)", "requests/s", false);
        XYChart p99 = chart(title + ": p99 latency by concurrency (median)", "p99 latency (µs, log scale)", true);
        List<String> clients = new ArrayList<>(stats.clients());
        clients.remove("wrk");
        clients.add("wrk");
        for (String client : clients) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> ps = new ArrayList<>();
            for (int c : cs) {
                List<Row> rows = stats.rows(client, threads, path, c);
                double r = Stats.median(rows, Row::rps);
                double p = Stats.median(rows, Row::p99);
                if (!Double.isNaN(r) && !Double.isNaN(p) && p > 0) {
                    xs.add((double) c);
                    ys.add(r);
                    ps.add(p);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries a = rps.addSeries(client, xs, ys);
            XYSeries b = p99.addSeries(client, xs, ps);
            if (client.equals("wrk")) { // the ceiling: a dashed black line without markers
                for (XYSeries x : new XYSeries[] {a, b}) {
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineColor(java.awt.Color.BLACK);
                    x.setLineStyle(SeriesLines.DASH_DASH);
                }
            }
        }
        if (rps.getSeriesMap().isEmpty()) {
            return files;
        }
        String rpsFile = "rps-" + name + ".png";
        String p99File = "p99-" + name + ".png";
        BitmapEncoder.saveBitmap(rps, dir.resolve(rpsFile).toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(p99, dir.resolve(p99File).toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(rpsFile);
        files.add(p99File);
        return files;
    }

    private static XYChart chart(String title, String yTitle, boolean logY) {
        XYChart c = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("concurrency (log scale)")
                .yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setYAxisMin(logY ? null : 0.0);
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setYAxisDecimalPattern("#,###");
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setMarkerSize(7);
        return c;
    }
}
