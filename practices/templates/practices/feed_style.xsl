{% load i18n static %}<?xml version="1.0" encoding="utf-8"?>
{% comment %}
Shows a feed (RSS 2.0 or Atom 1.0) opened in a browser as a page: what a feed is, how to
subscribe, and the practices in it. Feed readers ignore it. The page uses the site's stylesheet
and no script or inline style, so the feed's Content-Security-Policy holds.
{% endcomment %}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html lang="{{ LANGUAGE_CODE }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{% static 'css/site.css' %}"/>
      </head>
      <body>
        <main id="main" class="site-main">
          <div class="container container--medium site-main__content">
            <p class="notice feed-notice" role="note">
              <strong>{% translate "This is a web feed." %}</strong>
              {% translate "Copy the address of this page from your browser's address bar into a feed reader (Thunderbird, Feedly, NetNewsWire, Outlook and many more): it will tell you whenever a new practice matching these filters is published. You do not need an account." %}
            </p>
            <h1><xsl:value-of select="$title"/></h1>
            <p class="lead"><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
            <p><a href="{rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href}">{% translate "See these practices in the library" %}</a></p>
            <h2>{% translate "Newest practices in this feed" %}</h2>
            <ul class="item-list">
              <xsl:for-each select="rss/channel/item | atom:feed/atom:entry">
                <li>
                  <h3 class="item-list__title"><a href="{link | atom:link/@href}"><xsl:value-of select="title | atom:title"/></a></h3>
                  <p><xsl:value-of select="description | atom:summary"/></p>
                </li>
              </xsl:for-each>
            </ul>
          </div>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
