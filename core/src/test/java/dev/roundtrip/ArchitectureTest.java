package dev.roundtrip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of DESIGN §3, checked on core's compiled classes (not its tests) so they cannot
 * erode:
 * <ul>
 *   <li>the exported packages hold only public types (what users call), and their public
 *       signatures mention no internal type;</li>
 *   <li>{@code trace} and {@code error} import nothing else of the project (leaves, like Go's
 *       {@code httptrace});</li>
 *   <li>{@code internal.wire} is a codec on byte streams: no sockets or channels, no pool, no
 *       connection, no dialing, no trace;</li>
 *   <li>{@code internal.pool} does no I/O (no {@code java.net}, {@code java.nio}, streams) and is
 *       generic: it knows no connection type, no codec, no trace;</li>
 *   <li>{@code internal.conn} knows no pool and no dialing; {@code internal.dial} knows no pool
 *       and no connection;</li>
 *   <li>the protocol layers ({@code wire}, {@code conn}, {@code http2}, {@code pool},
 *       {@code dial}, {@code util}, {@code url}) sit below the API: they never use
 *       {@code dev.roundtrip}'s types;</li>
 *   <li>no cycles among the internal packages.</li>
 * </ul>
 * The API package and the engine packages that implement its interfaces ({@code internal.client},
 * {@code internal.proxy}, {@code internal.transport}) do refer to each other: a public factory
 * ({@code CookieJar.inMemory()}) creates an engine class that implements a public interface, as
 * {@code java.net.http} and {@code jdk.internal.net.http} do. Those packages sit above the
 * protocol layers, which is what the rules above keep.
 */
class ArchitectureTest {
    private static final String[] EXPORTED = {"dev.roundtrip", "dev.roundtrip.error", "dev.roundtrip.trace"};
    /** The one non-public type allowed in an exported package: trace is a leaf, it cannot reach internal. */
    private static final String COMPOSED_TRACE = "dev.roundtrip.trace.ComposedTrace";
    private static final String[] PROTOCOL_LAYERS = {"dev.roundtrip.internal.wire..", "dev.roundtrip.internal.conn..",
        "dev.roundtrip.internal.http2..", "dev.roundtrip.internal.pool..", "dev.roundtrip.internal.dial..",
        "dev.roundtrip.internal.util..", "dev.roundtrip.internal.url.."};
    private static final String[] POLICY_PACKAGES = {"dev.roundtrip.internal.client..",
        "dev.roundtrip.internal.proxy..", "dev.roundtrip.internal.transport.."};

    private static final JavaClasses CORE = importCore();

    private static JavaClasses importCore() {
        try {
            Path classes = Path.of(Transport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(classes);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void importsTheMainClassesOfCore() {
        // a rule over an empty import would pass for the wrong reason
        assertThat(CORE.contain(Transport.class)).isTrue();
        assertThat(CORE.stream().anyMatch(c -> c.getPackageName().equals("dev.roundtrip.internal.wire"))).isTrue();
        assertThat(CORE.stream().noneMatch(c -> c.getSimpleName().endsWith("Test"))).isTrue();
    }

    @Test
    void exportedPackagesHoldOnlyPublicTypes() {
        ArchRule rule = classes().that().resideInAnyPackage(EXPORTED).and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info").and().doNotHaveFullyQualifiedName(COMPOSED_TRACE)
                .should().bePublic()
                .because("engine code lives under dev.roundtrip.internal (DESIGN §3); a package-private"
                        + " class in an exported package is engine code");
        rule.check(CORE);
    }

    @Test
    void publicApiSignaturesMentionNoInternalType() {
        ArchRule rule = classes().that().resideInAnyPackage(EXPORTED).and().arePublic()
                .should(exposeNoInternalType())
                .because("users cannot name types of packages the module does not export");
        rule.check(CORE);
    }

    @Test
    void traceImportsNothingOfTheProject() {
        classes().that().resideInAPackage("dev.roundtrip.trace..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.roundtrip.trace..", "java..", "javax..")
                .check(CORE);
    }

    @Test
    void errorsImportNothingOfTheProject() {
        classes().that().resideInAPackage("dev.roundtrip.error..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.roundtrip.error..", "java..")
                .check(CORE);
    }

    @Test
    void wireKnowsNothingOfSocketsPoolsConnectionsOrTraces() {
        noClasses().that().resideInAPackage("dev.roundtrip.internal.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..", "javax.net..",
                        "dev.roundtrip", "dev.roundtrip.trace..", "dev.roundtrip.internal.pool..",
                        "dev.roundtrip.internal.conn..", "dev.roundtrip.internal.dial..",
                        "dev.roundtrip.internal.http2..", "dev.roundtrip.internal.transport..",
                        "dev.roundtrip.internal.client..", "dev.roundtrip.internal.proxy..")
                .check(CORE);
    }

    @Test
    void poolDoesNoIoAndKnowsNoConnection() {
        noClasses().that().resideInAPackage("dev.roundtrip.internal.pool..")
                .should().dependOnClassesThat(ioOrConnection())
                .because("the pool is generic over its connection type and does no I/O, under its lock or not")
                .check(CORE);
    }

    @Test
    void connectionKnowsNoPoolAndNoDialing() {
        noClasses().that().resideInAPackage("dev.roundtrip.internal.conn..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.roundtrip.internal.pool..",
                        "dev.roundtrip.internal.dial..", "dev.roundtrip.internal.http2..")
                .orShould().dependOnClassesThat().resideInAnyPackage(POLICY_PACKAGES)
                .check(CORE);
    }

    @Test
    void dialingKnowsNoPoolAndNoConnection() {
        noClasses().that().resideInAPackage("dev.roundtrip.internal.dial..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.roundtrip.internal.pool..",
                        "dev.roundtrip.internal.conn..", "dev.roundtrip.internal.http2..")
                .orShould().dependOnClassesThat().resideInAnyPackage(POLICY_PACKAGES)
                .check(CORE);
    }

    @Test
    void protocolLayersSitBelowTheApi() {
        noClasses().that().resideInAnyPackage(PROTOCOL_LAYERS)
                .should().dependOnClassesThat().resideInAnyPackage("dev.roundtrip")
                .orShould().dependOnClassesThat().resideInAnyPackage(POLICY_PACKAGES)
                .check(CORE);
    }

    @Test
    void internalPackagesHaveNoCycles() {
        slices().matching("dev.roundtrip.internal.(*)..").should().beFreeOfCycles().check(CORE);
    }

    /** Classes the pool must not touch: I/O of any kind, and the other engine packages. */
    private static DescribedPredicate<JavaClass> ioOrConnection() {
        Set<String> streams = Set.of("java.io.InputStream", "java.io.OutputStream", "java.io.Reader",
                "java.io.Writer", "java.io.File", "java.io.RandomAccessFile");
        return DescribedPredicate.describe("do I/O or belong to another engine layer", c -> {
            String p = c.getPackageName();
            return p.startsWith("java.net") || p.startsWith("java.nio") || p.startsWith("javax.net")
                    || streams.contains(c.getName()) || p.equals("dev.roundtrip") || p.startsWith("dev.roundtrip.trace")
                    || (p.startsWith("dev.roundtrip.internal.") && !p.startsWith("dev.roundtrip.internal.pool")
                        && !p.startsWith("dev.roundtrip.internal.util"));
        });
    }

    /** Public and protected members of a public API type name only API or JDK types. */
    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no internal type in a public signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Set<JavaClass> seen = new HashSet<>();
                if (c.getRawSuperclass().isPresent()) {
                    report(c, "its superclass", c.getRawSuperclass().get(), events);
                }
                c.getRawInterfaces().forEach(i -> report(c, "an interface", i, events));
                for (JavaMember m : c.getMembers()) {
                    if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    seen.clear();
                    if (m instanceof JavaField) {
                        seen.addAll(((JavaField) m).getType().getAllInvolvedRawTypes());
                    } else if (m instanceof JavaCodeUnit) {
                        JavaCodeUnit u = (JavaCodeUnit) m;
                        seen.addAll(u.getReturnType().getAllInvolvedRawTypes());
                        u.getParameterTypes().forEach(t -> seen.addAll(t.getAllInvolvedRawTypes()));
                        u.getExceptionTypes().forEach(t -> seen.addAll(t.getAllInvolvedRawTypes()));
                    }
                    for (JavaClass t : seen) {
                        report(c, m.getFullName(), t, events);
                    }
                }
            }

            private void report(JavaClass owner, String where, JavaClass type, ConditionEvents events) {
                if (type.getPackageName().startsWith("dev.roundtrip.internal")) {
                    events.add(SimpleConditionEvent.violated(owner, where + " of " + owner.getName()
                            + " mentions the internal type " + type.getName()));
                }
            }
        };
    }
}
