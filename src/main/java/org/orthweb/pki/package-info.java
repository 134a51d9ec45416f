/**
 * The site's DICOM peers and the pure rules of its PKI: which peers may connect, under which
 * calling AE title, how long certificates live, and how a certificate serial reads in nginx. The
 * component that generates the keys and certificates is {@link org.orthweb.components.SitePki}.
 */
package org.orthweb.pki;
