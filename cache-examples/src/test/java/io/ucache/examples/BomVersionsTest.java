package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM pins the drivers at the versions the engines are built and tested with (the parent
 * pom's), so an application importing it (a Spring Boot one included) runs the tested versions.
 */
class BomVersionsTest {

  @Test
  void bom_pinsEachDriverAtTheParentsVersion() throws Exception {
    Document parent = read("../pom.xml");
    Map<String, String> tested = Map.of(
        "com.github.ben-manes.caffeine:caffeine", property(parent, "caffeine.version"),
        "org.ehcache:ehcache", property(parent, "ehcache.version"),
        "io.lettuce:lettuce-core", property(parent, "lettuce.version"),
        "io.projectreactor:reactor-core", property(parent, "reactor.version"),
        "org.xerial:sqlite-jdbc", property(parent, "sqlite-jdbc.version"),
        "javax.cache:cache-api", property(parent, "jcache.version"));

    Map<String, String> pinned = new LinkedHashMap<>();
    NodeList dependencies = read("../cache-bom/pom.xml").getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      pinned.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
          text(dependency, "version"));
    }

    assertThat(pinned).containsAllEntriesOf(tested);
  }

  private static Document read(String path) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(path));
  }

  private static String property(Document pom, String name) {
    return pom.getElementsByTagName(name).item(0).getTextContent().trim();
  }

  private static String text(Element element, String child) {
    return element.getElementsByTagName(child).item(0).getTextContent().trim();
  }
}
