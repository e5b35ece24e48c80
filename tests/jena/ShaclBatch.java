// Validates many data files against one shapes graph in a single JVM with Apache Jena SHACL.
// Usage: java -cp JENA_CLASSPATH ShaclBatch.java SHAPES BASE OUTDIR DATA...
// Each DATA file is validated together with BASE (the dataset and the ontology); the report
// for the i-th DATA file is written to OUTDIR/i.nt ("-" validates BASE alone).
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphUtil;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.graph.GraphFactory;

public class ShaclBatch {
    public static void main(String[] args) throws Exception {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        Graph base = RDFDataMgr.loadGraph(args[1]);
        Path out = Path.of(args[2]);
        for (int i = 3; i < args.length; i++) {
            Graph data = GraphFactory.createDefaultGraph();
            GraphUtil.addInto(data, base);
            if (!args[i].equals("-")) {
                RDFDataMgr.read(data, args[i]);
            }
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            try (OutputStream stream = new FileOutputStream(out.resolve((i - 3) + ".nt").toFile())) {
                RDFDataMgr.write(stream, report.getGraph(), Lang.NTRIPLES);
            }
        }
    }
}
