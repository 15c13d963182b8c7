package io.github.reconnectingws.testsupport;

import java.io.File;

import org.apache.catalina.startup.Tomcat;

/**
 * Tomcat with its base directory as its home too, and without the JVM-wide
 * {@code catalina.base} and {@code catalina.home} that {@link Tomcat} sets: the first
 * server of a test JVM would otherwise become the home of every later one, which creates
 * that directory again after it was deleted.
 */
final class OwnDirectoryTomcat extends Tomcat {

    @Override
    protected void initBaseDir() {
        File dir = new File(this.basedir);
        this.server.setCatalinaBase(dir);
        this.server.setCatalinaHome(dir);
    }

}
